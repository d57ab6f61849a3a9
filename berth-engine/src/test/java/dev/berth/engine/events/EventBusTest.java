package dev.berth.engine.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.Event;
import dev.berth.api.model.EventType;
import dev.berth.engine.store.SqliteStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventBusTest {
    @TempDir
    Path dataDir;

    private SqliteStateStore store;

    @AfterEach
    void close() {
        store.close();
    }

    private EventBus bus() {
        store = new SqliteStateStore(dataDir);
        return new EventBus(store, Clock.systemUTC());
    }

    @Test
    void aFollowerThatFallsBehindCatchesUpFromTheLogWithoutGaps() {
        EventBus bus = bus();
        int count = Subscription.CAPACITY * 2 + 7;
        try (Stream<Event> follow = bus.subscribe(0, true)) {
            for (int i = 0; i < count; i++) {
                bus.publish("w" + i, EventType.CREATED, null);
            }
            List<Long> ids = follow.limit(count).map(Event::id).toList();
            assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
        }
    }

    @Test
    void eventsAnotherProcessAppendedAreFilledIn() {
        EventBus bus = bus();
        try (Stream<Event> follow = bus.subscribe(0, true)) {
            bus.publish("a", EventType.CREATED, null);
            // Another process sharing the data dir appends straight to the log.
            store.appendEvent(java.time.Instant.now(), "b", "created", null);
            bus.publish("c", EventType.CREATED, null);

            assertThat(follow.limit(3).map(Event::workload).toList()).containsExactly("a", "b", "c");
        }
    }

    @Test
    void typesThisVersionDoesNotKnowAreSkipped() {
        EventBus bus = bus();
        store.appendEvent(java.time.Instant.now(), "a", "paused", null);
        bus.publish("b", EventType.STARTED, null);

        assertThat(bus.subscribe(0, false).map(Event::workload).toList()).containsExactly("b");
    }
}
