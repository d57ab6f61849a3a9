package dev.berth.engine.recovery;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.EventType;
import dev.berth.api.model.ReconcileReport.Outcome;
import dev.berth.api.model.ReconcileReport.WorkloadOutcome;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.Handle;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.store.StateStore;
import dev.berth.engine.store.WorkloadRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Brings one workload record back in line with its backend after Berth was not running (or
 * crashed mid-operation):
 *
 * <ul>
 *   <li>resource alive: reattached (the recorded handle is confirmed, so logs, exec and stats reach it);</li>
 *   <li>exited meanwhile: the backend's real exit status and finish time are recorded;</li>
 *   <li>resource gone: FAILED, "lost: ...";</li>
 *   <li>no handle (crash between record and create, or between create and the record update):
 *       the resource with this owner, workload and generation labels is adopted; when there is
 *       none, nothing was ever created and the record is removed, so the name is free again.
 *       A record younger than the in-flight grace is left alone: another process may still be
 *       creating it (pulling its image, say).</li>
 * </ul>
 *
 * A backend that cannot be reached leaves its records untouched. The state fold is the engine's
 * own (the rule every read applies), passed in so recovery and {@code inspect} never disagree.
 */
public final class Reconciler {
    /** The message of a record whose backend resource vanished. */
    public static final String LOST = "lost: the backend resource no longer exists";

    private final StateStore store;
    private final Function<String, Backend> backends;
    private final String ownerId;
    private final BiFunction<WorkloadRecord, BackendStatus, WorkloadRecord> fold;
    private final EventBus events;
    private final Clock clock;

    public Reconciler(StateStore store, Function<String, Backend> backends, String ownerId,
                      BiFunction<WorkloadRecord, BackendStatus, WorkloadRecord> fold, EventBus events, Clock clock) {
        this.events = events;
        this.store = store;
        this.backends = backends;
        this.ownerId = ownerId;
        this.fold = fold;
        this.clock = clock;
    }

    /**
     * Reconciles the record called {@code name}; call it under the workload's name lock. Empty
     * when the record was removed meanwhile.
     */
    public Optional<WorkloadOutcome> reconcile(String name, Duration inFlightGrace) {
        Optional<WorkloadRecord> found = store.get(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        WorkloadRecord original = found.get();
        Backend backend;
        try {
            backend = backends.apply(original.backend());
        } catch (BerthException e) {
            return Optional.of(unreachable(original, e));
        }
        WorkloadOutcome outcome;
        try {
            outcome = reconcile(original, backend, inFlightGrace);
        } catch (BerthException e) {
            return Optional.of(unreachable(original, e));
        }
        if (outcome.changed()) {
            String what = outcome.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-');
            events.publish(name, EventType.RECONCILED, outcome.message() == null ? what : what + ": " + outcome.message());
        }
        return Optional.of(outcome);
    }

    private WorkloadOutcome reconcile(WorkloadRecord original, Backend backend, Duration inFlightGrace) {
        WorkloadRecord record = original;
        boolean adopted = false;
        if (record.handle() == null) {
            Optional<Handle> handle = LabelLookup.find(backend, ownerId, record.name(), record.generation());
            if (handle.isEmpty()) {
                return unexplainedRecord(record, inFlightGrace);
            }
            record = record.withHandle(handle.get().id());
            store.update(record);
            adopted = true;
        }
        BackendStatus status;
        try {
            status = backend.inspect(new Handle(backend.name(), record.handle()));
        } catch (BerthException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            return lost(original, record, adopted);
        }
        WorkloadRecord folded = fold.apply(record, status);
        if (!folded.equals(record)) {
            store.update(folded);
            events.changed(record, folded);
        }
        Outcome outcome = switch (folded.state()) {
            case EXITED -> Outcome.EXITED;
            case FAILED -> Outcome.FAILED;
            case REMOVED -> Outcome.LOST;
            default -> Outcome.REATTACHED;
        };
        return outcome(folded, outcome, adopted, !folded.equals(original), folded.message());
    }

    /** No handle and nothing on the backend: a create in flight, or one that never happened. */
    private WorkloadOutcome unexplainedRecord(WorkloadRecord record, Duration inFlightGrace) {
        Duration age = Duration.between(record.createdAt(), clock.instant());
        if (age.compareTo(inFlightGrace) < 0) {
            return outcome(record, Outcome.IN_FLIGHT, false, false,
                    "no backend resource yet; created " + age.toSeconds() + "s ago, a create may still be running");
        }
        store.delete(record.name());
        return outcome(record, Outcome.FORGOTTEN, false, true,
                "never created on backend " + record.backend() + ": record removed");
    }

    private WorkloadOutcome lost(WorkloadRecord original, WorkloadRecord record, boolean adopted) {
        WorkloadRecord failed = record;
        if (record.state() != WorkloadState.FAILED || record.message() == null || !record.message().startsWith("lost")) {
            failed = record.withState(WorkloadState.FAILED, LOST);
            store.update(failed);
            events.changed(record, failed);
        }
        return outcome(failed, Outcome.LOST, adopted, !failed.equals(original), failed.message());
    }

    private static WorkloadOutcome unreachable(WorkloadRecord record, BerthException e) {
        return outcome(record, Outcome.UNREACHABLE, false, false, e.getMessage());
    }

    private static WorkloadOutcome outcome(WorkloadRecord r, Outcome outcome, boolean adopted, boolean changed, String message) {
        return new WorkloadOutcome(r.name(), r.backend(), outcome, r.state(), r.exit(), adopted, changed, message);
    }
}
