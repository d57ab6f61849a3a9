package dev.berth.engine.store;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generation numbers: microseconds since the epoch, strictly increasing within one instance. A
 * name is reserved by insert before its generation matters, so two processes never race on one
 * name and no shared counter is needed.
 */
final class GenerationClock {
    private final AtomicLong last = new AtomicLong();

    long next() {
        long now = Instant.now().toEpochMilli() * 1000;
        return last.updateAndGet(prev -> Math.max(prev + 1, now));
    }
}
