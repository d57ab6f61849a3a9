package dev.berth.engine;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.Handle;
import dev.berth.engine.backends.BackendRegistry;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.readiness.ReadinessWaiter;
import dev.berth.engine.recovery.LabelLookup;
import dev.berth.engine.recovery.Reconciler;
import dev.berth.engine.store.StateStore;
import dev.berth.engine.store.WorkloadRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * How the engine sees a workload: its record, with the backend's reality folded in. The record
 * is the engine's; the backend owns reality. Every read asks the backend once and persists what
 * it learnt (an exit while nobody watched, a lost resource), so that a workload that exited while
 * no Berth process ran shows its real exit code the next time anyone looks.
 */
final class BackendObserver {
    private final StateStore store;
    private final BackendRegistry backends;
    private final String ownerId;
    private final NameLocks locks;
    private final EventBus events;
    private final Predicate<String> watched;
    private final java.util.concurrent.ConcurrentHashMap<String, Live> live = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code watched}: whether a watcher records the named workload's exits (then reads only show them). */
    BackendObserver(StateStore store, BackendRegistry backends, String ownerId, NameLocks locks, EventBus events,
                    Predicate<String> watched) {
        this.store = store;
        this.backends = backends;
        this.ownerId = ownerId;
        this.locks = locks;
        this.events = events;
        this.watched = watched;
    }

    WorkloadRecord record(String name) {
        return store.get(name).orElseThrow(() -> BerthException.notFound("workload '" + name + "'"));
    }

    /** The record's handle; after a crash between the backend's create and the record update, the one its labels find. */
    Handle handle(WorkloadRecord record, Backend backend) {
        if (record.handle() != null) {
            return new Handle(backend.name(), record.handle());
        }
        Handle found = LabelLookup.find(backend, ownerId, record.name(), record.generation()).orElseThrow(() -> new BerthException(
                ErrorCode.CONFLICT, "workload '" + record.name() + "' was never created on backend " + backend.name()
                + "; remove it and create it again"));
        store.update(record.withHandle(found.id()));
        return found;
    }

    <T> T withHandle(String name, BiFunction<Backend, Handle, T> action) {
        WorkloadRecord record = record(name);
        Backend backend = backends.get(record.backend());
        return action.apply(backend, handle(record, backend));
    }

    /** Folds the backend's reality into the record (persisting changes) and returns the record. */
    WorkloadRecord refresh(WorkloadRecord record) {
        return observe(record).record();
    }

    /**
     * The user's view: the record refreshed from the backend (one inspect call). For a running
     * workload that a watcher supervises, the backend's view from the last inspect of this same
     * run is reused: the watcher reports the run's end, and a new run changes the record's start
     * time, which invalidates the entry. So listing a daemon's running workloads asks no backend.
     */
    WorkloadStatus status(WorkloadRecord record) {
        Live cached = live.get(record.name());
        if (cached != null && cached.matches(record) && record.state().isActive() && record.state() != WorkloadState.STOPPING
                && watched.test(record.name())) {
            return merge(fold(record, cached.status()), cached.status());
        }
        Observed o = observe(record);
        if (o.status() != null && o.status().state().isActive() && record.handle() != null) {
            live.put(record.name(), new Live(record.handle(), record.startedAt(), o.status()));
        } else {
            live.remove(record.name());
        }
        return merge(o.record(), o.status());
    }

    /** Drops what {@link #status} remembered about the workload (on remove). */
    void forget(String name) {
        live.remove(name);
    }

    /** The backend's view of one run: valid while the record has the same handle and start time. */
    private record Live(String handle, Instant startedAt, BackendStatus status) {
        boolean matches(WorkloadRecord r) {
            return handle.equals(r.handle()) && Objects.equals(startedAt, r.startedAt());
        }
    }

    private static WorkloadStatus merge(WorkloadRecord r, BackendStatus bs) {
        return new WorkloadStatus(r.name(), r.backend(), r.handle(), r.spec().image(), r.state(), r.exit(),
                bs == null ? null : bs.pid(), bs == null ? null : bs.ip(), bs == null ? Map.of() : bs.networks(),
                bs == null ? List.of() : bs.ports(), r.createdAt(), r.startedAt(), r.finishedAt(),
                Math.max(r.restartCount(), bs == null ? 0 : bs.restartCount()), r.generation(),
                bs == null ? Map.of() : bs.labels(), r.message());
    }

    /** The record alone, without asking the backend (what a lifecycle call just made true). */
    static WorkloadStatus recorded(WorkloadRecord r) {
        return new WorkloadStatus(r.name(), r.backend(), r.handle(), r.spec().image(), r.state(), r.exit(), null, null,
                Map.of(), List.of(), r.createdAt(), r.startedAt(), r.finishedAt(), r.restartCount(), r.generation(), Map.of(),
                r.message());
    }

    /**
     * The one rule for folding a backend's view into a record, shared by reads, recovery and the
     * watchers so that they never disagree.
     */
    static WorkloadRecord fold(WorkloadRecord record, BackendStatus bs) {
        WorkloadRecord r = record.withStartedAt(bs.startedAt());
        return switch (bs.state()) {
            case EXITED -> r.state() == WorkloadState.EXITED && bs.exit() != null && bs.exit().equals(r.exit())
                    && Objects.equals(bs.finishedAt(), r.finishedAt())
                    ? r : r.exited(bs.exit(), bs.finishedAt() == null ? Instant.now() : bs.finishedAt());
            // READY and a readiness failure are verdicts on this run that the backend cannot know about.
            // A backend that applies restart policies counts its own restarts.
            case RUNNING, READY -> (r.state() == WorkloadState.RUNNING || r.state() == WorkloadState.READY || readinessFailed(r)
                    ? r : r.started(bs.startedAt() == null ? Instant.now() : bs.startedAt()))
                    .withRestartCount(Math.max(r.restartCount(), bs.restartCount()));
            case CREATED -> r.state() == WorkloadState.CREATED && r.message() == null ? r : r.withState(WorkloadState.CREATED, null);
            default -> r.state() == bs.state() ? r : r.withState(bs.state(), r.message());
        };
    }

    private static boolean readinessFailed(WorkloadRecord r) {
        return r.state() == WorkloadState.FAILED && r.message() != null && r.message().startsWith(ReadinessWaiter.FAILURE_PREFIX);
    }

    private Observed observe(WorkloadRecord record) {
        Backend backend;
        try {
            backend = backends.get(record.backend());
        } catch (BerthException e) {
            return new Observed(record, null);
        }
        if (record.handle() == null) {
            var found = LabelLookup.find(backend, ownerId, record.name(), record.generation());
            if (found.isEmpty()) {
                return new Observed(record, null);
            }
            record = record.withHandle(found.get().id());
            store.update(record);
        }
        BackendStatus bs;
        try {
            bs = backend.inspect(new Handle(backend.name(), record.handle()));
        } catch (BerthException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            WorkloadRecord lost = record.state() == WorkloadState.FAILED ? record
                    : persist(record, record.withState(WorkloadState.FAILED, Reconciler.LOST));
            return new Observed(lost, null);
        }
        WorkloadRecord updated = fold(record, bs);
        return new Observed(updated.equals(record) ? record : persist(record, updated), bs);
    }

    /**
     * Stores what a read learnt from the backend and publishes what it revealed (an exit, a loss),
     * unless the record changed since it was read or a lifecycle call on the workload is in
     * flight: that call records its own outcome, and a read must not wait for it. A watched
     * workload's exits are the watcher's to record (with its restart decision in the same write),
     * so a plain read only shows them; a lifecycle call (holding the name lock) still records.
     */
    private WorkloadRecord persist(WorkloadRecord seen, WorkloadRecord folded) {
        if (!locks.heldByCurrentThread(seen.name()) && watched.test(seen.name())) {
            return folded;
        }
        return locks.tryWith(seen.name(), () -> {
            if (store.get(seen.name()).filter(seen::equals).isPresent()) {
                store.update(folded);
                events.changed(seen, folded);
            }
            return folded;
        }).orElse(folded);
    }

    private record Observed(WorkloadRecord record, BackendStatus status) {
    }
}
