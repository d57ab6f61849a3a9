package dev.berth.oci.runtime;

/** What {@code <runtime> state ID} reports: {@code status} is created, running, paused or stopped. */
public record RuntimeState(String status, int pid) {
    public boolean running() {
        return status.equals("running") || status.equals("paused");
    }

    public boolean stopped() {
        return status.equals("stopped");
    }
}
