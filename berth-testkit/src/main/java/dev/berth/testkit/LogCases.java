package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.LogStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Log order, stream separation, tail, timestamps and follow. */
public interface LogCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();

    List<String> ONE_TO_FIFTY = IntStream.rangeClosed(1, 50).mapToObj(Integer::toString).toList();



    @Test
    default void logsKeepTheOrderLinesWereWritten() {
        String name = countToFifty("order");

        assertThat(kit().stdout(name)).containsExactlyElementsOf(ONE_TO_FIFTY);
    }

    @Test
    default void tailReturnsOnlyTheLastLines() {
        String name = countToFifty("tail");

        var tail = kit().logs(name, LogQuery.ALL.withTail(5));

        assertThat(tail).extracting(LogLine::text).containsExactly("46", "47", "48", "49", "50");
    }

    @Test
    default void timestampsAreTheTimeOfWriting() {
        Instant before = Instant.now().minus(1, ChronoUnit.MINUTES);
        String name = countToFifty("stamps");
        Instant after = Instant.now().plus(1, ChronoUnit.MINUTES);

        var lines = kit().logs(name, LogQuery.ALL.withTimestamps(true));

        assertThat(lines).extracting(LogLine::text).containsExactlyElementsOf(ONE_TO_FIFTY);
        assertThat(lines).allSatisfy(l -> assertThat(l.timestamp()).isNotNull().isBetween(before, after));
    }

    @Test
    default void stdoutAndStderrStayApart() {
        var spec = kit().busybox("streams", "sh", "-c", "echo to-out; echo to-err >&2").build();
        assertThat(kit().runToExit(spec).code()).isZero();

        assertThat(kit().logs(spec.name())).extracting(LogLine::stream, LogLine::text)
                .containsExactlyInAnyOrder(
                        tuple(LogStream.STDOUT, "to-out"),
                        tuple(LogStream.STDERR, "to-err"));
        var stdoutOnly = new LogQuery(null, null, false, true, false, false);
        assertThat(kit().logs(spec.name(), stdoutOnly)).extracting(LogLine::text).containsExactly("to-out");
        var stderrOnly = new LogQuery(null, null, false, false, true, false);
        assertThat(kit().logs(spec.name(), stderrOnly)).extracting(LogLine::text).containsExactly("to-err");
    }

    @Test
    default void followSeesLinesWrittenAfterItStartedAndEndsWhenTheWorkloadExits() throws InterruptedException {
        var spec = kit().busybox("follow", "sh", "-c",
                "echo first; while [ ! -f /tmp/go ]; do sleep 0.1; done; echo second").build();
        kit().berth().run(spec);
        kit().awaitLogLine(spec.name(), "first");

        var seen = new CopyOnWriteArrayList<String>();
        Stream<LogLine> follow = kit().berth().logs(spec.name(), LogQuery.ALL.withFollow(true));
        Thread reader = Thread.ofVirtual().start(() -> follow.forEach(l -> seen.add(l.text())));
        try {
            Await.until(BackendConformance.WAIT, () -> seen.contains("first"), "follow to replay the line 'first'");
            assertThat(seen).doesNotContain("second");

            assertThat(kit().exec(spec.name(), "touch", "/tmp/go").exitCode()).isZero();

            Await.until(BackendConformance.WAIT, () -> seen.contains("second"), "follow to see the line 'second'");
            assertThat(reader.join(BackendConformance.WAIT)).as("follow ended after the workload exited").isTrue();
            assertThat(seen).containsExactly("first", "second");
        } finally {
            follow.close();
        }
    }

    private String countToFifty(String label) {
        var spec = kit().busybox(label, "seq", "1", "50").build();
        assertThat(kit().runToExit(spec).code()).isZero();
        return spec.name();
    }
}
