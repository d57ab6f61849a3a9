package dev.berth.engine.supervision;

import dev.berth.api.model.ExitStatus;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendStatus;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.recovery.NameGuard;
import dev.berth.engine.store.StateStore;
import dev.berth.engine.store.WorkloadRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the workloads of a long-lived engine (the daemon): one virtual thread per workload that
 * may be running blocks in the backend's {@code waitExit}, records the real exit the moment it
 * happens, and applies the spec's restart policy where the backend does not apply it itself
 * (see {@link ExitWatcher}). Nothing runs until {@link #superviseAll} is called, so a short-lived
 * engine (the CLI's embedded mode) starts no threads.
 *
 * <p>Watchers are keyed by workload name. A watcher decides to end only while it holds the
 * workload's name lock, and lifecycle calls ask for a watcher while they hold it, so a workload
 * started just as its old watcher ends is never left unwatched.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Supervisor.class.getName());
    private static final Duration JOIN_BOUND = Duration.ofSeconds(5);
    private static final int AUTO_REMOVED_KEPT = 1000;

    final StateStore store;
    final Function<String, Backend> backends;
    final NameGuard locks;
    final EventBus events;
    final BiFunction<WorkloadRecord, BackendStatus, WorkloadRecord> fold;
    private final Consumer<WorkloadRecord> remover;
    private final Consumer<WorkloadRecord> prober;
    /** The exits of the workloads removed for {@code autoRemove}, newest last, for a wait that lost the race. */
    private final Map<String, ExitStatus> autoRemovedExits = new LinkedHashMap<>();
    /** Readiness probes of restarted runs in flight; interrupted at close. */
    private final Set<Thread> probes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Counted down once, at close: wakes every watcher waiting out a restart pause. */
    final CountDownLatch closing = new CountDownLatch(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Thread> watchers = new HashMap<>();
    private boolean enabled;
    private boolean closed;

    /**
     * @param remover removes a workload's backend resources and record and publishes {@code removed};
     *                called by a watcher, under the workload's name lock, for {@code autoRemove}
     * @param prober  probes the readiness of a run that a restart policy started and records the
     *                verdict (READY, or FAILED/EXITED with the reason); called on a thread of its own
     */
    public Supervisor(StateStore store, Function<String, Backend> backends, NameGuard locks, EventBus events,
                      BiFunction<WorkloadRecord, BackendStatus, WorkloadRecord> fold, Consumer<WorkloadRecord> remover,
                      Consumer<WorkloadRecord> prober) {
        this.store = store;
        this.backends = backends;
        this.locks = locks;
        this.events = events;
        this.fold = fold;
        this.remover = remover;
        this.prober = prober;
    }

    /**
     * A restart policy started a new run of {@code record}: its readiness probe (if the spec has
     * one) runs again, on a thread of its own, as after a user's start; the watcher goes on watching.
     */
    void probeReadiness(WorkloadRecord record) {
        if (record.spec().readiness() == null || isClosing()) {
            return;
        }
        Thread probe = Thread.ofVirtual().name("berth-ready-" + record.name()).unstarted(() -> {
            try {
                prober.accept(record);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "readiness of " + record.name() + " after a restart: " + e.getMessage());
            } finally {
                probes.remove(Thread.currentThread());
            }
        });
        probes.add(probe);
        probe.start();
    }

    /**
     * Starts watching every recorded workload and, from now on, each one a lifecycle call starts.
     * Idempotent. Workloads that exited while nobody watched are restarted per their policy.
     */
    /** Whether watchers keep records in step right now (superviseAll called, not closed). */
    public boolean supervising() {
        lock.lock();
        try {
            return enabled && !closed;
        } finally {
            lock.unlock();
        }
    }

    public void superviseAll() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            enabled = true;
        } finally {
            lock.unlock();
        }
        for (WorkloadRecord r : store.list()) {
            if (r.handle() != null) {
                locks.with(r.name(), () -> {
                    watch(r.name());
                    return null;
                });
            }
        }
    }

    /** Makes sure a watcher runs for {@code name}; call it under the workload's name lock. */
    public void watch(String name) {
        lock.lock();
        try {
            if (!enabled || closed || watchers.containsKey(name)) {
                return;
            }
            var watcher = new ExitWatcher(this, name);
            watchers.put(name, Thread.ofVirtual().name("berth-watch-" + name).unstarted(watcher));
            watchers.get(name).start();
        } finally {
            lock.unlock();
        }
    }

    /** The names of the workloads whose watcher thread is alive. */
    public Set<String> watched() {
        lock.lock();
        try {
            var names = new TreeSet<String>();
            watchers.forEach((name, thread) -> {
                if (thread.isAlive()) {
                    names.add(name);
                }
            });
            return names;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a watcher runs for {@code name}: then it is the one that records the workload's exits. */
    public boolean watches(String name) {
        lock.lock();
        try {
            Thread thread = watchers.get(name);
            return thread != null && thread.isAlive();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the watcher of a workload whose record was just deleted, and waits for it (bounded);
     * call it outside the name lock, which the watcher needs to see that its record is gone.
     */
    public void release(String name) {
        Thread thread;
        lock.lock();
        try {
            thread = watchers.get(name);
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            thread.interrupt();
            join(List.of(thread));
        }
    }

    /**
     * Under the name lock: removes a workload that ended for good and asked for it; a failure
     * leaves it recorded (the next daemon start tries again). The exit is remembered first, so a
     * wait that finds the record gone finds the exit.
     */
    void autoRemove(WorkloadRecord record) {
        remember(record.name(), record.exit());
        try {
            remover.accept(record);
        } catch (RuntimeException e) {
            forgetAutoRemoved(record.name());
            LOG.log(Level.WARNING, "cannot remove " + record.name() + " after its exit (autoRemove); rm it by hand", e);
        }
    }

    private void remember(String name, ExitStatus exit) {
        lock.lock();
        try {
            autoRemovedExits.remove(name);
            autoRemovedExits.put(name, exit);
            if (autoRemovedExits.size() > AUTO_REMOVED_KEPT) {
                autoRemovedExits.remove(autoRemovedExits.keySet().iterator().next());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The exit of {@code name} if a watcher removed it on that exit (autoRemove), for a wait that
     * came too late; call it under the name lock (the watcher removes under it).
     */
    public Optional<ExitStatus> autoRemovedExit(String name) {
        lock.lock();
        try {
            return Optional.ofNullable(autoRemovedExits.get(name));
        } finally {
            lock.unlock();
        }
    }

    /** A new workload took the name: a wait on it is about that one from now on. */
    public void forgetAutoRemoved(String name) {
        lock.lock();
        try {
            autoRemovedExits.remove(name);
        } finally {
            lock.unlock();
        }
    }

    /** Called by a watcher, under the workload's name lock, when it ends. */
    void ended(String name) {
        lock.lock();
        try {
            if (watchers.get(name) == Thread.currentThread()) {
                watchers.remove(name);
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isClosing() {
        return closing.getCount() == 0;
    }

    /** Waits out a restart pause; false when the supervisor closed meanwhile. */
    boolean pause(Duration pause) {
        try {
            return !closing.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops every watcher: those pausing wake up, those blocked in the backend are interrupted
     * (which aborts their wait call). Returns once they have ended, or after a bound, with a
     * warning naming any that did not.
     */
    @Override
    public void close() {
        List<Thread> threads;
        lock.lock();
        try {
            closed = true;
            threads = List.copyOf(watchers.values());
        } finally {
            lock.unlock();
        }
        closing.countDown();
        probes.forEach(Thread::interrupt);
        threads.forEach(Thread::interrupt);
        join(threads);
    }

    private static void join(List<Thread> threads) {
        long deadline = System.nanoTime() + JOIN_BOUND.toNanos();
        for (Thread t : threads) {
            try {
                if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    LOG.warning("watcher " + t.getName() + " did not end within " + JOIN_BOUND);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.log(Level.WARNING, "interrupted while waiting for watchers to end", e);
                return;
            }
        }
    }
}
