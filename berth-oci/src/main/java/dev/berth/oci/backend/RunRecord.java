package dev.berth.oci.backend;

import java.time.Instant;

/** When the workload's current run started and how often it was restarted ({@code run.json}). */
public record RunRecord(Instant startedAt, int restartCount) {
    public static final RunRecord NEVER = new RunRecord(null, 0);
}
