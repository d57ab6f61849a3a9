package dev.berth.engine.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.Event;
import dev.berth.api.model.EventType;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Handle;
import dev.berth.engine.Engine;
import dev.berth.engine.testing.FakeBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a user watching {@code berth events} sees, against an in-memory backend. */
@Timeout(30)
class EngineEventsTest {
    @TempDir
    Path dataDir;

    private final FakeBackend fake = new FakeBackend("fake");
    private Engine engine;

    private Engine open() {
        engine = Engine.builder().dataDir(dataDir).provider(fake.provider()).defaultBackend("fake").build();
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static WorkloadSpec spec(String name) {
        return WorkloadSpec.builder(name, "busybox").command("sleep", "1000").build();
    }

    private List<Event> stored(long sinceId) {
        try (Stream<Event> events = engine.events(sinceId, false)) {
            return events.toList();
        }
    }

    @Test
    void createStartExitRemoveAreLoggedInOrder() {
        open().create(spec("web"));
        String id = engine.start("web").handle();
        fake.exit(new Handle("fake", id), 3);
        engine.inspect("web");
        engine.remove("web", false);

        List<Event> events = stored(0);

        assertThat(events).extracting(Event::type).containsExactly(
                EventType.CREATED, EventType.STARTED, EventType.EXITED, EventType.REMOVED);
        assertThat(events).extracting(Event::workload).containsOnly("web");
        assertThat(events.get(2).detail()).isEqualTo("code 3");
        assertThat(events).extracting(Event::id).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void stopIsLoggedAfterTheExitItCaused() {
        open().run(spec("web"));
        engine.stop("web", Duration.ofSeconds(1));

        assertThat(stored(0)).extracting(Event::type).containsExactly(
                EventType.CREATED, EventType.STARTED, EventType.EXITED, EventType.STOPPED);
    }

    @Test
    void followReceivesLiveEventsAndCloseUnblocksIt() throws Exception {
        open().create(spec("web"));
        Stream<Event> follow = engine.events(0, true);
        Iterator<Event> it = follow.iterator();
        assertThat(it.next().type()).isEqualTo(EventType.CREATED);

        engine.start("web");
        assertThat(it.next().type()).isEqualTo(EventType.STARTED);

        var blocked = CompletableFuture.supplyAsync(it::hasNext);
        follow.close();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void engineCloseEndsFollowers() throws Exception {
        Stream<Event> follow = open().events(0, true);
        var consumed = CompletableFuture.supplyAsync(() -> follow.toList());

        engine.create(spec("web"));
        engine.close();

        assertThat(consumed.get(10, TimeUnit.SECONDS)).extracting(Event::type).containsExactly(EventType.CREATED);
        engine = null;
    }

    @Test
    void resumingFromAnIdLosesNothing() {
        open().create(spec("a"));
        engine.create(spec("b"));
        long seen = stored(0).getFirst().id();

        try (Stream<Event> follow = engine.events(seen, true)) {
            Iterator<Event> it = follow.iterator();
            engine.create(spec("c"));
            assertThat(List.of(it.next(), it.next())).extracting(Event::workload).containsExactly("b", "c");
        }
        assertThat(stored(seen)).extracting(Event::workload).containsExactly("b", "c");
    }

    @Test
    void followersSeeEveryEventOnceInOrderWhilePublishersRace() throws Exception {
        open();
        int workloads = 20;
        try (Stream<Event> follow = engine.events(0, true)) {
            var received = CompletableFuture.supplyAsync(() -> follow.limit(workloads).toList());
            try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < workloads; i++) {
                    String name = "w" + i;
                    executor.submit(() -> engine.create(spec(name)));
                }
            }
            List<Event> events = received.get(20, TimeUnit.SECONDS);
            assertThat(events).extracting(Event::id).isSorted().doesNotHaveDuplicates();
            assertThat(events).extracting(Event::workload).hasSize(workloads).doesNotHaveDuplicates();
        }
    }

    @Test
    void eventsOutliveTheEngineThatLoggedThem() {
        open().create(spec("web"));
        engine.close();

        try (Stream<Event> events = open().events(0, false)) {
            assertThat(events).extracting(Event::type).containsExactly(EventType.CREATED);
        }
    }
}
