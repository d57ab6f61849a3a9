package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.Event;
import dev.berth.api.model.EventType;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.docker.backend.DockerBackendProvider;
import dev.berth.server.client.HttpBerthClient;
import dev.berth.testkit.TestImages;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The daemon's streams over real HTTP on real docker: the followed event log and followed logs,
 * and the API over the token-guarded TCP listener (run, interactive exec, logs, remove).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class DaemonEventsTest {
    private DaemonFixture daemon;
    private HttpBerthClient client;

    @BeforeAll
    void start() throws IOException {
        daemon = DaemonFixture.start(DockerBackendProvider.docker(), Map.of(), true);
        client = daemon.client();
        boolean docker = client.info().backends().stream().anyMatch(b -> b.name().equals("docker") && b.available());
        if (!docker && !String.valueOf(System.getenv("BERTH_REQUIRE_BACKENDS")).contains("docker")) {
            Assumptions.abort("docker is not available here");
        }
        TestImages.ensureImported(client, "docker");
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.list(true).forEach(s -> client.remove(s.name(), true));
            client.close();
        }
        daemon.close();
    }

    @Test
    void followedEventsArriveLiveInOrderAndCloseEndsTheStream() throws Exception {
        long before = lastEventId();
        var seen = new LinkedBlockingQueue<Event>();
        Stream<Event> stream = client.events(before, true);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                stream.forEach(seen::add);
            } catch (RuntimeException e) {
                // closed under us: the end of the stream
            }
        });
        client.run(WorkloadSpec.builder("ev-exit", TestImages.BUSYBOX).command("/bin/sh", "-c", "exit 7").build());
        assertThat(client.waitExit("ev-exit", Duration.ofSeconds(30)).code()).isEqualTo(7);
        client.remove("ev-exit", true);

        var types = new ArrayList<EventType>();
        while (!types.contains(EventType.REMOVED)) {
            Event e = seen.poll(30, TimeUnit.SECONDS);
            assertThat(e).as("an event within 30 s; so far " + types).isNotNull();
            assertThat(e.id()).isGreaterThan(before);
            if (e.workload().equals("ev-exit")) {
                types.add(e.type());
                if (e.type() == EventType.EXITED) {
                    assertThat(e.detail()).contains("7");
                }
            }
        }
        assertThat(types).containsSubsequence(EventType.CREATED, EventType.STARTED, EventType.EXITED, EventType.REMOVED);

        stream.close();
        reader.join(Duration.ofSeconds(15));
        assertThat(reader.isAlive()).as("closing the stream ends the reader").isFalse();
    }

    @Test
    void resumingFromAnEventIdMissesNothing() {
        long before = lastEventId();
        client.run(WorkloadSpec.builder("ev-resume", TestImages.BUSYBOX).command("true").build());
        client.waitExit("ev-resume", Duration.ofSeconds(30));
        client.remove("ev-resume", true);
        List<Event> after;
        try (Stream<Event> s = client.events(before, false)) {
            after = s.filter(e -> e.workload().equals("ev-resume")).toList();
        }
        assertThat(after).extracting(Event::type).containsSubsequence(EventType.CREATED, EventType.STARTED, EventType.REMOVED);
        assertThat(after).extracting(Event::id).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void followedLogsStreamLinesAsTheyComeAndCloseWhenAsked() throws Exception {
        client.run(WorkloadSpec.builder("ev-logs", TestImages.BUSYBOX)
                .command("/bin/sh", "-c", "echo first; read x; echo second; sleep 300").build());
        var lines = new LinkedBlockingQueue<String>();
        Stream<LogLine> logs = client.logs("ev-logs", LogQuery.ALL.withFollow(true));
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                logs.forEach(l -> lines.add(l.text()));
            } catch (RuntimeException e) {
                // closed
            }
        });
        assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo("first");
        logs.close();
        reader.join(Duration.ofSeconds(15));
        assertThat(reader.isAlive()).as("closing a followed log ends it").isFalse();
        client.remove("ev-logs", true);
    }

    @Test
    void tcpWithTheTokenCarriesTheWholeApi() throws Exception {
        try (var tcp = daemon.tcpClient(DaemonFixture.TOKEN)) {
            var status = tcp.run(WorkloadSpec.builder("ev-tcp", TestImages.BUSYBOX)
                    .command("/bin/sh", "-c", "echo over-tcp; echo err >&2; sleep 300").build());
            assertThat(status.state().isActive()).isTrue();
            try (var session = tcp.execStream("ev-tcp", dev.berth.api.model.ExecRequest.of("/bin/sh", "-c", "read x; echo got:$x; exit 4")
                    .withStdin(true))) {
                session.stdin().write("hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                session.stdin().close();
                var out = new StringBuilder();
                int code = -1;
                for (var e = session.next(); e != null; e = session.next()) {
                    if (e instanceof dev.berth.api.model.ExecEvent.Output o) {
                        out.append(new String(o.data(), java.nio.charset.StandardCharsets.UTF_8));
                    } else if (e instanceof dev.berth.api.model.ExecEvent.Exited x) {
                        code = x.exitCode();
                    }
                }
                assertThat(out.toString()).contains("got:hello");
                assertThat(code).isEqualTo(4);
            }
            dev.berth.testkit.Await.until(Duration.ofSeconds(30), () -> {
                try (Stream<LogLine> logs = tcp.logs("ev-tcp", LogQuery.ALL)) {
                    return logs.map(LogLine::text).toList().containsAll(List.of("over-tcp", "err"));
                }
            }, "both log lines over tcp");
            assertThat(tcp.remove("ev-tcp", true)).isTrue();
            assertThat(tcp.list(true)).extracting(s -> s.name()).doesNotContain("ev-tcp");
        }
    }

    @Test
    void theDaemonRemovesADetachedAutoRemoveWorkloadOnceItExited() throws Exception {
        long before = lastEventId();
        try (Stream<Event> stream = client.events(before, true)) {
            var seen = new LinkedBlockingQueue<Event>();
            Thread.ofVirtual().start(() -> {
                try {
                    stream.forEach(seen::add);
                } catch (RuntimeException e) {
                    // closed under us: the end of the stream
                }
            });
            client.run(WorkloadSpec.builder("ev-autorm", TestImages.BUSYBOX).command("/bin/sh", "-c", "exit 5")
                    .autoRemove(true).build());

            assertThat(client.waitExit("ev-autorm", Duration.ofSeconds(30)).code()).isEqualTo(5);
            var types = new ArrayList<EventType>();
            while (!types.contains(EventType.REMOVED)) {
                Event e = seen.poll(30, TimeUnit.SECONDS);
                assertThat(e).as("an event within 30 s; so far " + types).isNotNull();
                if (e.workload().equals("ev-autorm")) {
                    types.add(e.type());
                }
            }
            assertThat(types).containsSubsequence(EventType.CREATED, EventType.STARTED, EventType.EXITED, EventType.REMOVED);
        }
        assertThat(client.list(true)).extracting(s -> s.name()).doesNotContain("ev-autorm");
        Process ps = new ProcessBuilder("docker", "ps", "-a", "--filter", "label=dev.berth.workload=ev-autorm", "--format",
                "{{.Names}}").redirectErrorStream(true).start();
        assertThat(new String(ps.getInputStream().readAllBytes()).strip()).as("docker containers left").isEmpty();
        assertThat(client.waitExit("ev-autorm", null).code()).as("the daemon remembers the exit").isEqualTo(5);
    }

    private long lastEventId() {
        try (Stream<Event> s = client.events(0, false)) {
            return s.mapToLong(Event::id).max().orElse(0);
        }
    }
}
