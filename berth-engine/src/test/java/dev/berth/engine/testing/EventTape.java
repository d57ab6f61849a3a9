package dev.berth.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.Event;
import dev.berth.api.model.EventType;
import dev.berth.engine.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Records an engine's live events on a reader thread, so a test can block for the next ones
 * (bounded) or assert that nothing more happens within a while.
 */
public final class EventTape implements AutoCloseable {
    private static final Duration EXPECTED_WITHIN = Duration.ofSeconds(10);

    private final Stream<Event> events;
    private final LinkedBlockingQueue<Event> received = new LinkedBlockingQueue<>();
    private final Thread reader;

    /** Follows {@code engine}'s events after {@code sinceId}. */
    public EventTape(Engine engine, long sinceId) {
        events = engine.events(sinceId, true);
        reader = Thread.ofVirtual().start(() -> events.forEach(received::add));
    }

    /** Follows the events after the last one logged so far. */
    public static EventTape fromNow(Engine engine) {
        long last;
        try (var stored = engine.events(0, false)) {
            last = stored.reduce((a, b) -> b).map(Event::id).orElse(0L);
        }
        return new EventTape(engine, last);
    }

    /** The next {@code count} events, waiting for each up to ten seconds. */
    public List<Event> next(int count) {
        var out = new ArrayList<Event>();
        for (int i = 0; i < count; i++) {
            try {
                Event e = received.poll(EXPECTED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(e).as("event %d of %d after %s", i + 1, count, out).isNotNull();
                out.add(e);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
        return out;
    }

    /** The types of the next {@code count} events of {@code workload}, skipping other workloads' events. */
    public List<EventType> nextTypes(String workload, int count) {
        var out = new ArrayList<EventType>();
        while (out.size() < count) {
            Event e = next(1).getFirst();
            if (workload.equals(e.workload())) {
                out.add(e.type());
            }
        }
        return out;
    }

    /** Asserts that no event arrives within {@code quiet}: what a restart pause would have produced. */
    public void assertQuietFor(Duration quiet) {
        try {
            Event e = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(e).as("no further event").isNull();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    @Override
    public void close() {
        events.close();
        try {
            reader.join(EXPECTED_WITHIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
