package dev.berth.api.model;

import java.time.Instant;

/** A resource usage sample. Limits of 0 mean "no limit"; cpuPercent is of one CPU (200 = two busy CPUs). */
public record Stats(Instant at, double cpuPercent, long memoryBytes, long memoryLimitBytes, long pids,
                    long networkRxBytes, long networkTxBytes, long blockReadBytes, long blockWriteBytes) {
}
