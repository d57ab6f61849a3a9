package dev.berth.api.model;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What reconciling every record against its backend found: one entry per workload record and
 * the count per outcome (every outcome present, zero included).
 */
public record ReconcileReport(Map<Outcome, Integer> counts, List<WorkloadOutcome> workloads) {
    /** What reconciliation found for one record (and what it changed). */
    public enum Outcome {
        /** The backend resource exists and is not finished (running, created, stopping): handle confirmed. */
        REATTACHED,
        /** The workload has exited: its real exit status is recorded. */
        EXITED,
        /** The backend reports the workload failed (e.g. a dead container). */
        FAILED,
        /** The backend resource is gone: the record is FAILED with a message starting "lost". */
        LOST,
        /** The record had no handle and the backend holds nothing for it: never created, record removed. */
        FORGOTTEN,
        /** The record has no handle yet and is younger than the in-flight grace: a create may be running; untouched. */
        IN_FLIGHT,
        /** The backend could not be reached or answered with an error: record untouched. */
        UNREACHABLE
    }

    /**
     * One record's outcome: the state and exit status recorded afterwards, whether the handle was
     * adopted from the backend's labels (a crash between create and record update), whether the
     * record changed, and a message (the record's message, or why nothing could be done).
     */
    public record WorkloadOutcome(String name, String backend, Outcome outcome, WorkloadState state, ExitStatus exit,
                                  boolean adopted, boolean changed, String message) {
    }

    public ReconcileReport {
        var ordered = new EnumMap<Outcome, Integer>(Outcome.class);
        ordered.putAll(counts);
        counts = java.util.Collections.unmodifiableMap(ordered);
        workloads = List.copyOf(workloads);
    }

    public static ReconcileReport of(List<WorkloadOutcome> workloads) {
        var counts = new EnumMap<Outcome, Integer>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0);
        }
        workloads.forEach(w -> counts.merge(w.outcome(), 1, Integer::sum));
        return new ReconcileReport(counts, workloads);
    }

    public int count(Outcome outcome) {
        return counts.getOrDefault(outcome, 0);
    }
}
