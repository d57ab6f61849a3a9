package dev.berth.engine.events;

import dev.berth.api.model.Event;
import dev.berth.engine.store.EventRecord;
import java.util.ArrayDeque;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One reader of the event log: it replays the log after its last id, then (when following)
 * takes live events from its queue. Every event it hands out has a higher id than the one
 * before, so an event both replayed and queued is delivered once.
 *
 * <p>The queue is bounded. A reader that falls behind loses its queue and catches up from the
 * log instead, so a slow client costs memory for at most {@link #CAPACITY} events and still
 * misses nothing. A live event whose id skips ahead (another process appended to the shared
 * log meanwhile) also sends the reader back to the log for the ids in between.
 */
final class Subscription implements Spliterator<Event> {
    static final int CAPACITY = 1024;
    /** What {@link #takeLive} returns when the queue overflowed: read the log again. */
    private static final Event CATCH_UP = new Event(-1, null, null, null, null);

    private final EventBus bus;
    private final boolean follow;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Event> live = new ArrayDeque<>();
    private boolean behind;
    private boolean closed;
    private boolean ending;

    // Touched by the consuming thread only.
    private final ArrayDeque<Event> replay = new ArrayDeque<>();
    private boolean replaying = true;
    private long cursor;
    private long lastId;

    Subscription(EventBus bus, long sinceId) {
        this(bus, sinceId, true);
    }

    private Subscription(EventBus bus, long sinceId, boolean follow) {
        this.bus = bus;
        this.follow = follow;
        this.cursor = sinceId;
        this.lastId = sinceId;
    }

    /** The stored events after {@code sinceId}, read page by page as the stream is consumed. */
    static Stream<Event> stored(EventBus bus, long sinceId) {
        return new Subscription(bus, sinceId, false).stream();
    }

    Stream<Event> stream() {
        return StreamSupport.stream(this, false).onClose(this::close);
    }

    /** Called by the bus, under its publishing lock, in id order. */
    void offer(Event event) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (live.size() == CAPACITY) {
                live.clear();
                behind = true;
            } else {
                live.addLast(event);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The bus is closing: hand out what is queued, then end (the log may be gone by then). */
    void finish() {
        lock.lock();
        try {
            ending = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            live.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        bus.unsubscribe(this);
    }

    @Override
    public boolean tryAdvance(Consumer<? super Event> action) {
        while (true) {
            Event next = next();
            if (next == null) {
                return false;
            }
            if (next.id() > lastId) {
                lastId = next.id();
                action.accept(next);
                return true;
            }
        }
    }

    /** The next candidate event (possibly one already delivered), or null at the end. */
    private Event next() {
        while (true) {
            if (!replay.isEmpty()) {
                return replay.pollFirst();
            }
            if (replaying && readPage()) {
                continue;
            }
            replaying = false;
            if (!follow) {
                return null;
            }
            Event event = takeLive();
            if (event == null) {
                return null;
            }
            if (event == CATCH_UP || (event.id() > lastId + 1 && !isEnding())) {
                // Ids in between are in the log only: written by another process, or dropped from our queue.
                replaying = true;
                cursor = lastId;
                continue;
            }
            return event;
        }
    }

    /** Reads the next page of the log into the replay buffer; false when the log holds no more. */
    private boolean readPage() {
        var page = bus.page(cursor);
        if (page.isEmpty()) {
            return false;
        }
        for (EventRecord r : page) {
            EventBus.toEvent(r).ifPresent(replay::addLast);
        }
        cursor = page.getLast().id();
        return true;
    }

    /** Blocks for the next live event; null once closed (or interrupted). */
    private Event takeLive() {
        lock.lock();
        try {
            while (!closed && !ending && !behind && live.isEmpty()) {
                changed.await();
            }
            if (closed) {
                return null;
            }
            if (!live.isEmpty()) {
                return live.pollFirst();
            }
            if (behind && !ending) {
                behind = false;
                return CATCH_UP;
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            return null;
        } finally {
            lock.unlock();
        }
    }

    private boolean isEnding() {
        lock.lock();
        try {
            return ending;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Spliterator<Event> trySplit() {
        return null;
    }

    @Override
    public long estimateSize() {
        return Long.MAX_VALUE;
    }

    @Override
    public int characteristics() {
        return Spliterator.ORDERED | Spliterator.NONNULL;
    }
}
