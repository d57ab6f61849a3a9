package dev.berth.api.model;

import java.time.Instant;

/** One line of a workload's output, without its trailing newline; {@code timestamp} may be null. */
public record LogLine(LogStream stream, Instant timestamp, String text) {
}
