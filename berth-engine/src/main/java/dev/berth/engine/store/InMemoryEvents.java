package dev.berth.engine.store;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** The newest events of one store instance, for stores without a durable event log. */
final class InMemoryEvents {
    private static final int CAPACITY = StateStore.EVENTS_KEPT;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<EventRecord> events = new ArrayDeque<>();
    private long lastId;

    long append(Instant at, String workload, String type, String detail) {
        lock.lock();
        try {
            if (events.size() == CAPACITY) {
                events.removeFirst();
            }
            events.addLast(new EventRecord(++lastId, at, workload, type, detail));
            return lastId;
        } finally {
            lock.unlock();
        }
    }

    List<EventRecord> since(long sinceId, int limit) {
        lock.lock();
        try {
            return events.stream().filter(e -> e.id() > sinceId).limit(limit).toList();
        } finally {
            lock.unlock();
        }
    }
}
