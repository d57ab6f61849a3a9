package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.client.BerthClient;
import dev.berth.api.model.Event;
import dev.berth.api.model.EventType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A client's event log, followed from the start on a thread of its own, for tests that wait on
 * events instead of sleeping: the next event of a workload, or a quiet period without one.
 */
public final class FollowedEvents implements AutoCloseable {
    private final BerthClient client;
    private final Duration within;
    private final Stream<Event> follow;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    /** @param within how long {@link #next} waits for the event it looks for */
    public FollowedEvents(BerthClient client, Duration within) {
        this.client = client;
        this.within = within;
        this.follow = client.events(0, true);
        Thread.ofVirtual().start(() -> follow.forEach(events::add));
    }

    /** The next followed event of {@code workload} of one of {@code types}, skipping the rest. */
    public Event next(String workload, EventType... types) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Event e = poll(Math.max(1, deadline - System.nanoTime()));
            assertThat(e).as("a %s event of %s within %s", Arrays.toString(types), workload, within).isNotNull();
            if (workload.equals(e.workload()) && Arrays.asList(types).contains(e.type())) {
                return e;
            }
        }
    }

    /** Waits out {@code quiet} (no sleep): no event of {@code workload} may be followed that was not taken yet. */
    public void assertQuiet(String workload, Duration quiet) {
        assertNoneAbove(workload, quiet, Long.MIN_VALUE);
    }

    /**
     * Waits out {@code quiet} (no sleep): no event of {@code workload} newer than those already in
     * the log may come; older ones not taken yet are skipped.
     */
    public void assertNothingNewOf(String workload, Duration quiet) {
        long seen;
        try (var all = client.events(0, false)) {
            seen = all.mapToLong(Event::id).max().orElse(0);
        }
        assertNoneAbove(workload, quiet, seen);
    }

    /** Every event of {@code workload} of {@code type} in the log so far. */
    public List<Event> logged(String workload, EventType type) {
        try (var all = client.events(0, false)) {
            return all.filter(e -> workload.equals(e.workload()) && e.type() == type).toList();
        }
    }

    private void assertNoneAbove(String workload, Duration quiet, long seen) {
        long deadline = System.nanoTime() + quiet.toNanos();
        for (long left = quiet.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            Event e = poll(left);
            assertThat(e == null || e.id() <= seen || !workload.equals(e.workload()))
                    .as("no further event of %s, got %s", workload, e).isTrue();
        }
    }

    private Event poll(long nanos) {
        try {
            return events.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    @Override
    public void close() {
        follow.close();
    }
}
