package dev.berth.engine.events;

import dev.berth.api.model.Event;
import dev.berth.api.model.EventType;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.WorkloadState;
import dev.berth.engine.store.EventRecord;
import dev.berth.engine.store.StateStore;
import dev.berth.engine.store.WorkloadRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The engine's events: each one is appended to the store's event log first (which gives it its
 * id) and then handed to the live subscribers of this process. Appending and handing out happen
 * under one lock, so subscribers receive ids in increasing order, and a subscriber that registers
 * concurrently finds every event either in the log or in its queue (duplicates are dropped by id).
 */
public final class EventBus implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());
    /** Log entries read per store query when replaying. */
    static final int PAGE = 500;

    private final StateStore store;
    private final Clock clock;
    private final ReentrantLock publishing = new ReentrantLock();
    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();
    private boolean closed;

    public EventBus(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Records the event and delivers it. An event that cannot be stored is logged, not thrown:
     * the change it reports has already happened and must not be reported as failed.
     */
    public void publish(String workload, EventType type, String detail) {
        publishing.lock();
        try {
            if (closed) {
                return;
            }
            var at = clock.instant();
            long id;
            try {
                id = store.appendEvent(at, workload, type.name().toLowerCase(Locale.ROOT), detail);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not record event " + type + " of " + workload, e);
                return;
            }
            var event = new Event(id, at, workload, type, detail);
            for (Subscription s : subscribers) {
                s.offer(event);
            }
        } finally {
            publishing.unlock();
        }
    }

    /**
     * Publishes what a fold of the backend's reality into a record revealed: a new exit, a new
     * failure, or restarts the backend made on its own (a runtime that applies restart policies).
     * Lifecycle calls publish their own events; this covers changes nobody asked for.
     */
    public void changed(WorkloadRecord before, WorkloadRecord after) {
        if (after.restartCount() > before.restartCount()) {
            publish(after.name(), EventType.RESTARTED, "restart " + after.restartCount() + " by backend " + after.backend());
        }
        boolean newExit = after.state() == WorkloadState.EXITED && (before.state() != WorkloadState.EXITED
                || !Objects.equals(before.finishedAt(), after.finishedAt()));
        if (newExit) {
            publish(after.name(), EventType.EXITED, describe(after.exit()));
        }
        if (after.state() == WorkloadState.FAILED && (before.state() != WorkloadState.FAILED
                || !Objects.equals(before.message(), after.message()))) {
            publish(after.name(), EventType.FAILED, after.message());
        }
    }

    /** An exit as event detail: "code 137 (SIGKILL, oom killed)". */
    public static String describe(ExitStatus exit) {
        if (exit == null) {
            return "code unknown";
        }
        var notes = new ArrayList<String>();
        if (exit.signal() != null) {
            notes.add(exit.signal());
        }
        if (exit.oomKilled()) {
            notes.add("oom killed");
        }
        return "code " + exit.code() + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")");
    }

    /**
     * Events with an id above {@code sinceId}, oldest first. With {@code follow} the stream then
     * waits for new events until it is closed or the bus closes; closing it from another thread
     * ends a consumer blocked in it.
     */
    public Stream<Event> subscribe(long sinceId, boolean follow) {
        if (!follow) {
            return Subscription.stored(this, sinceId);
        }
        var subscription = new Subscription(this, sinceId);
        publishing.lock();
        try {
            if (closed) {
                subscription.close();
            } else {
                subscribers.add(subscription);
            }
        } finally {
            publishing.unlock();
        }
        return subscription.stream();
    }

    /** Ends every follower once it has taken what was delivered to it; later publishes are dropped. */
    @Override
    public void close() {
        publishing.lock();
        try {
            closed = true;
        } finally {
            publishing.unlock();
        }
        subscribers.forEach(Subscription::finish);
        subscribers.clear();
    }

    void unsubscribe(Subscription subscription) {
        subscribers.remove(subscription);
    }

    /** Up to {@link #PAGE} log entries after {@code sinceId}, oldest first. */
    List<EventRecord> page(long sinceId) {
        return store.events(sinceId, PAGE);
    }

    /** The API's view of a log entry; empty for a type this version does not know. */
    static Optional<Event> toEvent(EventRecord r) {
        try {
            var type = EventType.valueOf(r.type().toUpperCase(Locale.ROOT));
            return Optional.of(new Event(r.id(), r.at(), r.workload(), type, r.detail()));
        } catch (IllegalArgumentException e) {
            // Written by a newer Berth sharing this data dir.
            return Optional.empty();
        }
    }
}
