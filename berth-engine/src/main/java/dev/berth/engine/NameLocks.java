package dev.berth.engine;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises lifecycle changes per workload name inside one process (ReentrantLock, not
 * synchronized, so virtual threads do not pin). Locks are never removed: one small object per name.
 */
final class NameLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    <T> T with(String name, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling thread holds the name's lock (is inside a lifecycle change of it). */
    boolean heldByCurrentThread(String name) {
        ReentrantLock lock = locks.get(name);
        return lock != null && lock.isHeldByCurrentThread();
    }

    /** Runs {@code action} under the name's lock when it is free; empty when another change holds it. */
    <T> Optional<T> tryWith(String name, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        if (!lock.tryLock()) {
            return Optional.empty();
        }
        try {
            return Optional.of(action.get());
        } finally {
            lock.unlock();
        }
    }
}
