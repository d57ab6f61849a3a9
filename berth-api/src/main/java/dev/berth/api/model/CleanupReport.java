package dev.berth.api.model;

import java.util.List;

/**
 * What the reaper ({@code berth system reap}) or an owner prune ({@code berth system prune
 * --owner}) did: each resource removed with the reason, each removal that failed with the error,
 * and the backends that could not be checked (unavailable), with why.
 */
public record CleanupReport(List<Entry> removed, List<Entry> failed, List<String> skippedBackends) {
    /** One resource and, for a removal, why it was removed; for a failure, the error. */
    public record Entry(BackendResource resource, String reason) {
    }

    public CleanupReport {
        removed = List.copyOf(removed);
        failed = List.copyOf(failed);
        skippedBackends = List.copyOf(skippedBackends);
    }
}
