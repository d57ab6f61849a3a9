package dev.berth.engine;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.EventType;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.Readiness;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.Handle;
import dev.berth.engine.backends.BackendRegistry;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.readiness.ReadinessOutcome;
import dev.berth.engine.readiness.ReadinessProbe;
import dev.berth.engine.readiness.ReadinessWaiter;
import dev.berth.engine.store.StateStore;
import dev.berth.engine.store.WorkloadRecord;
import java.time.Instant;

/**
 * Start's second half for a spec with a readiness probe: block until the probe passes (READY),
 * the workload exits first (EXITED, {@code conflict} error) or the timeout passes (FAILED, left
 * running for its logs, {@code timeout} error). A supervising engine runs it again for every run
 * a restart policy starts (the verdict recorded and published, the error dropped).
 */
final class ReadinessGate {
    private static final String READINESS = ReadinessWaiter.FAILURE_PREFIX;

    private final StateStore store;
    private final BackendRegistry backends;
    private final NameLocks locks;
    private final EventBus events;
    private final BackendObserver observer;

    ReadinessGate(StateStore store, BackendRegistry backends, NameLocks locks, EventBus events, BackendObserver observer) {
        this.store = store;
        this.backends = backends;
        this.locks = locks;
        this.events = events;
        this.observer = observer;
    }

    /**
     * Probes a just-started workload outside its name lock (so stop and remove still work while
     * it waits), then records the verdict unless the workload was changed meanwhile.
     */
    /**
     * Whether {@code r} records a run that started after the probed one: a restart while the
     * probe ran. A read may have folded in the backend's start time meanwhile, which is the same
     * run's and no later than the engine's own.
     */
    private static boolean newerRun(WorkloadRecord r, WorkloadRecord probed) {
        return r.startedAt() != null && probed.startedAt() != null && r.startedAt().isAfter(probed.startedAt());
    }

    WorkloadRecord await(WorkloadRecord started) {
        Readiness readiness = started.spec().readiness();
        if (readiness == null) {
            return started;
        }
        Backend backend = backends.get(started.backend());
        Handle handle = new Handle(backend.name(), started.handle());
        ReadinessOutcome outcome;
        String probeName;
        try (ReadinessProbe probe = ReadinessProbe.of(readiness, backend, handle)) {
            probeName = probe.describe();
            outcome = ReadinessWaiter.standard().await(probe, () -> backend.inspect(handle), readiness.timeoutDuration());
        }
        BackendStatus bs = outcome.status();
        String reason = switch (outcome) {
            case ReadinessOutcome.Ready r -> null;
            case ReadinessOutcome.Exited e -> READINESS + "workload exited" + (bs.exit() == null ? "" : " with code " + bs.exit().code())
                    + " before " + probeName + " was ready";
            case ReadinessOutcome.TimedOut t -> READINESS + probeName + " not ready after "
                    + (readiness.timeout() == null ? Readiness.DEFAULT_TIMEOUT.toSeconds() + "s" : readiness.timeout()) + ": " + t.lastError() + " (the workload is left running)";
        };
        WorkloadRecord verdict = locks.with(started.name(), () -> store.get(started.name())
                .filter(r -> started.handle().equals(r.handle()) && r.state() == WorkloadState.RUNNING
                        && !newerRun(r, started))
                .map(r -> {
                    WorkloadRecord v = switch (outcome) {
                        case ReadinessOutcome.Ready ready -> r.withStartedAt(bs.startedAt()).withState(WorkloadState.READY, null);
                        case ReadinessOutcome.Exited e -> r.exited(bs.exit(), bs.finishedAt() == null ? Instant.now() : bs.finishedAt())
                                .withState(WorkloadState.EXITED, reason);
                        case ReadinessOutcome.TimedOut t -> r.withStartedAt(bs.startedAt()).withState(WorkloadState.FAILED, reason);
                    };
                    store.update(v);
                    switch (outcome) {
                        case ReadinessOutcome.Ready ready -> events.publish(v.name(), EventType.READY, probeName);
                        case ReadinessOutcome.Exited e -> events.publish(v.name(), EventType.EXITED, EventBus.describe(v.exit()));
                        case ReadinessOutcome.TimedOut t -> events.publish(v.name(), EventType.FAILED, reason);
                    }
                    return v;
                })
                .orElseGet(() -> observer.record(started.name())));
        return switch (outcome) {
            case ReadinessOutcome.Ready r -> verdict;
            case ReadinessOutcome.Exited e -> throw new BerthException(ErrorCode.CONFLICT, reason, "readiness", null);
            case ReadinessOutcome.TimedOut t -> throw new BerthException(ErrorCode.TIMEOUT, reason, "readiness", null);
        };
    }
}
