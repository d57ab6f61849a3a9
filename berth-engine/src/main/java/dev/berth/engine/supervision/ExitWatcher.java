package dev.berth.engine.supervision;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.EventType;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.Capabilities;
import dev.berth.api.spi.Handle;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.readiness.ReadinessWaiter;
import dev.berth.engine.recovery.Reconciler;
import dev.berth.engine.store.WorkloadRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The watcher of one workload name. Each step is decided under the name lock from the record:
 * wait for the running process to exit, restart an exited workload after Docker's backoff, or
 * end. The waiting itself happens outside the lock, so lifecycle calls go ahead meanwhile.
 *
 * <p>On an exit it records the real status and publishes {@code exited}. A backend that declares
 * {@link Capabilities.Feature#RESTART_POLICY} restarts by itself; the watcher then only folds the
 * backend's state (running again, with its restart count) into the record. For every other
 * backend the engine restarts: the record says so ("restarting in 200 ms") in the same write that
 * records the exit, and {@code stoppedByUser} is read again under the lock right before the
 * restart, so a user's stop during the pause wins.
 */
final class ExitWatcher implements Runnable {
    private static final Logger LOG = Logger.getLogger(ExitWatcher.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);
    /** How the message of a record with a restart pending starts. */
    static final String RESTARTING = "restarting in ";

    private sealed interface Step {
    }

    private record Watch(Backend backend, Handle handle) implements Step {
    }

    private record Restart(Backend backend, Duration pause) implements Step {
    }

    private record End() implements Step {
    }

    private record Recorded(Step next, boolean changed) {
    }

    private final Supervisor supervisor;
    private final String name;
    private final RestartBackoff backoff = new RestartBackoff();
    /** The start time of the run being watched, and when (monotonic) the watcher first saw it. */
    private Instant runStartedAt;
    private long runSeenAt = System.nanoTime();
    private Duration retry = FIRST_RETRY;

    ExitWatcher(Supervisor supervisor, String name) {
        this.supervisor = supervisor;
        this.name = name;
    }

    @Override
    public void run() {
        try {
            Step step = supervisor.locks.with(name, () -> {
                Optional<WorkloadRecord> now = supervisor.store.get(name);
                return decide(now, now, Duration.ZERO);
            });
            while (!(step instanceof End) && !supervisor.isClosing()) {
                step = switch (step) {
                    case Watch w -> watch(w);
                    case Restart r -> supervisor.pause(r.pause())
                            ? supervisor.locks.with(name, () -> restartIfStillDue(r.backend(), r.pause()))
                            : redecide();
                    case End end -> end;
                };
            }
        } catch (RuntimeException e) {
            if (!supervisor.isClosing() && !Thread.currentThread().isInterrupted()) {
                LOG.log(Level.WARNING, "watcher of " + name + " failed; its exits are recorded on the next read", e);
            }
        } finally {
            supervisor.ended(name);
        }
    }

    /**
     * Under the name lock: stores {@code after} (the record as it now should be) and picks the next
     * step from it. A pending restart goes into that same write, so whoever sees the exit sees
     * the decision too; an end deregisters the watcher while the lock is still held.
     */
    private Step decide(Optional<WorkloadRecord> before, Optional<WorkloadRecord> after, Duration lastRun) {
        if (after.isEmpty()) {
            supervisor.ended(name);
            return new End();
        }
        WorkloadRecord record = after.get();
        Step step = stepFor(record, lastRun);
        if (step instanceof Restart r && (record.message() == null || !record.message().startsWith(RESTARTING))) {
            record = record.withState(WorkloadState.EXITED, RESTARTING + r.pause().toMillis() + " ms (restart policy "
                    + record.spec().restart().policy().wire() + ")");
        }
        if (before.isEmpty() || !record.equals(before.get())) {
            supervisor.store.update(record);
            supervisor.events.changed(before.orElse(record), record);
        }
        if (step instanceof End) {
            if (autoRemoveDue(record)) {
                supervisor.autoRemove(record);
            }
            supervisor.ended(name);
        }
        return step;
    }

    /** A workload with {@code autoRemove} that has run and will not run again: removed, like {@code docker run --rm}. */
    private static boolean autoRemoveDue(WorkloadRecord record) {
        return record.spec().autoRemove() && record.handle() != null && record.startedAt() != null && !mayBeRunning(record);
    }

    private Step stepFor(WorkloadRecord record, Duration lastRun) {
        if (record.handle() == null) {
            return new End();
        }
        Backend backend;
        try {
            backend = supervisor.backends.apply(record.backend());
        } catch (BerthException e) {
            LOG.log(Level.WARNING, "cannot watch " + name + ": backend " + record.backend() + " unavailable", e);
            return new End();
        }
        if (mayBeRunning(record)) {
            if (!record.startedAt().equals(runStartedAt)) {
                runStartedAt = record.startedAt();
                runSeenAt = System.nanoTime();
            }
            return new Watch(backend, new Handle(backend.name(), record.handle()));
        }
        if (restartsItself(backend) || !RestartRule.wantsRestart(record)) {
            return new End();
        }
        return new Restart(backend, backoff.after(lastRun));
    }

    /** After an interrupt: closing, or released by a remove (whose record is gone), or a stray one. */
    private Step redecide() {
        Thread.interrupted();
        if (supervisor.isClosing()) {
            return new End();
        }
        return supervisor.locks.with(name, () -> {
            Optional<WorkloadRecord> now = supervisor.store.get(name);
            return decide(now, now, Duration.ZERO);
        });
    }

    private static boolean mayBeRunning(WorkloadRecord r) {
        return r.startedAt() != null && (r.state().isActive() || r.state() == WorkloadState.FAILED
                && r.message() != null && r.message().startsWith(ReadinessWaiter.FAILURE_PREFIX));
    }

    private static boolean restartsItself(Backend backend) {
        return backend.capabilities().has(Capabilities.Feature.RESTART_POLICY);
    }

    /** Blocks until the process exits, then records the exit and decides, under the lock. */
    private Step watch(Watch w) {
        ExitStatus exit;
        try {
            exit = w.backend().waitExit(w.handle(), null);
        } catch (BerthException e) {
            if (supervisor.isClosing() || Thread.currentThread().isInterrupted()) {
                return redecide();
            }
            if (e.code() != ErrorCode.NOT_FOUND) {
                LOG.log(Level.WARNING, "waiting for " + name + " failed; retrying in " + retry.toMillis() + " ms", e);
                supervisor.pause(retry);
                retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
                return w;
            }
            exit = null;
        }
        retry = FIRST_RETRY;
        Duration ran = Duration.ofNanos(System.nanoTime() - runSeenAt);
        ExitStatus status = exit;
        Recorded recorded = supervisor.locks.with(name, () -> {
            Optional<WorkloadRecord> before = supervisor.store.get(name);
            Optional<WorkloadRecord> after = afterExit(w, before, status);
            return new Recorded(decide(before, after, ran), !after.equals(before));
        });
        Step next = recorded.next();
        if (!recorded.changed() && next instanceof Watch again && again.handle().equals(w.handle())) {
            // The wait returned, yet nothing changed: do not spin on a backend that answers at once.
            supervisor.pause(FIRST_RETRY);
        }
        return next;
    }

    /** Under the name lock: the record with the exit folded in (not yet stored); empty when it is gone. */
    private Optional<WorkloadRecord> afterExit(Watch w, Optional<WorkloadRecord> found, ExitStatus exit) {
        if (found.isEmpty() || !w.handle().id().equals(found.get().handle())) {
            return found;
        }
        WorkloadRecord current = found.get();
        BackendStatus bs;
        try {
            bs = w.backend().inspect(w.handle());
        } catch (BerthException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            return Optional.of(current.withState(WorkloadState.FAILED, Reconciler.LOST));
        }
        boolean running = bs.state() == WorkloadState.RUNNING || bs.state() == WorkloadState.READY;
        if (restartsItself(w.backend()) && exit != null && running) {
            // Restarted (or restarting) by the backend already: the exit happened all the same,
            // unless it was the stop half of a user's restart, which published its own event.
            if (Objects.equals(current.startedAt(), runStartedAt)) {
                supervisor.events.publish(name, EventType.EXITED, EventBus.describe(exit));
            }
            // A new run: its own start time (a readiness verdict is tied to it), RUNNING until probed again.
            WorkloadRecord again = current.started(bs.startedAt() == null ? Instant.now() : bs.startedAt())
                    .withRestartCount(Math.max(current.restartCount(), bs.restartCount()));
            supervisor.probeReadiness(again);
            return Optional.of(again);
        }
        WorkloadRecord folded = supervisor.fold.apply(current, bs);
        if (!running && folded.state() != WorkloadState.EXITED && exit != null) {
            folded = folded.exited(exit, bs.finishedAt() == null ? Instant.now() : bs.finishedAt());
        }
        return Optional.of(folded);
    }

    /** Under the name lock, after the pause: restarts unless the user acted meanwhile. */
    private Step restartIfStillDue(Backend backend, Duration pause) {
        Optional<WorkloadRecord> found = supervisor.store.get(name);
        if (found.isEmpty() || !RestartRule.wantsRestart(found.get())) {
            return decide(found, found, Duration.ZERO);
        }
        WorkloadRecord record = found.get();
        try {
            backend.start(new Handle(backend.name(), record.handle()));
        } catch (BerthException e) {
            return decide(found, Optional.of(record.withState(WorkloadState.FAILED, "restart failed: " + e.getMessage())),
                    Duration.ZERO);
        }
        WorkloadRecord restarted = record.started(Instant.now()).withRestartCount(record.restartCount() + 1);
        supervisor.store.update(restarted);
        supervisor.events.publish(name, EventType.RESTARTED, "restart " + restarted.restartCount() + " by restart policy "
                + record.spec().restart().policy().wire() + " after " + pause.toMillis() + " ms");
        supervisor.probeReadiness(restarted);
        return decide(Optional.of(restarted), Optional.of(restarted), Duration.ZERO);
    }
}
