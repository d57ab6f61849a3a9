package dev.berth.engine.store;

import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.WorkloadSpec;
import java.time.Instant;

/**
 * The engine's durable record of one workload. Written before each action on the backend, so
 * that a crash at any point leaves a record to reconcile. {@code handle} is null between the
 * record's creation and the backend's create returning. {@code stoppedByUser} is the user's last
 * word: set by a stop, cleared by a start; no restart policy undoes it, across restarts of Berth too.
 */
public record WorkloadRecord(String name, WorkloadSpec spec, String backend, String handle, long generation,
                             WorkloadState state, ExitStatus exit, Instant createdAt, Instant startedAt,
                             Instant finishedAt, int restartCount, String message, boolean stoppedByUser) {

    /** A new record: never started, so never stopped. */
    public static WorkloadRecord created(String name, WorkloadSpec spec, String backend, long generation, Instant at,
                                         String message) {
        return new WorkloadRecord(name, spec, backend, null, generation, WorkloadState.CREATED, null, at, null, null, 0,
                message, false);
    }

    public WorkloadRecord withHandle(String value) {
        return new WorkloadRecord(name, spec, backend, value, generation, state, exit, createdAt, startedAt,
                finishedAt, restartCount, message, stoppedByUser);
    }

    public WorkloadRecord withState(WorkloadState value, String note) {
        return new WorkloadRecord(name, spec, backend, handle, generation, value, exit, createdAt, startedAt,
                finishedAt, restartCount, note, stoppedByUser);
    }

    public WorkloadRecord started(Instant at) {
        return new WorkloadRecord(name, spec, backend, handle, generation, WorkloadState.RUNNING, null, createdAt,
                at, null, restartCount, null, stoppedByUser);
    }

    public WorkloadRecord exited(ExitStatus value, Instant at) {
        return new WorkloadRecord(name, spec, backend, handle, generation, WorkloadState.EXITED, value, createdAt,
                startedAt, at, restartCount, null, stoppedByUser);
    }

    /** Adopts the backend's start time, which is more exact than the engine's own clock. */
    public WorkloadRecord withStartedAt(Instant value) {
        return value == null || value.equals(startedAt) ? this : new WorkloadRecord(name, spec, backend, handle, generation,
                state, exit, createdAt, value, finishedAt, restartCount, message, stoppedByUser);
    }

    public WorkloadRecord withRestartCount(int value) {
        return new WorkloadRecord(name, spec, backend, handle, generation, state, exit, createdAt, startedAt,
                finishedAt, value, message, stoppedByUser);
    }

    public WorkloadRecord withStoppedByUser(boolean value) {
        return value == stoppedByUser ? this : new WorkloadRecord(name, spec, backend, handle, generation, state, exit,
                createdAt, startedAt, finishedAt, restartCount, message, value);
    }
}
