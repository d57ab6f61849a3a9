package dev.berth.api.model;

/**
 * Lifecycle states. CREATED → STARTING → RUNNING → (READY) → STOPPING → EXITED | FAILED, and
 * REMOVED once deleted. EXITED carries its {@link ExitStatus} on the status record.
 */
public enum WorkloadState {
    CREATED, STARTING, RUNNING, READY, STOPPING, EXITED, FAILED, REMOVED;

    /** Whether the workload's process may be alive in this state. */
    public boolean isActive() {
        return this == STARTING || this == RUNNING || this == READY || this == STOPPING;
    }
}
