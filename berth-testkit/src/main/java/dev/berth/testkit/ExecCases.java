package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.ExecEvent;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.LogStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** exec into a running workload: exit code, streams, env, user, working dir, stdin, events. */
public interface ExecCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();



    @Test
    default void execReturnsTheCommandsExitCode() {
        assertThat(kit().exec(kit().sharedIdle(), "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
    }

    @Test
    default void execKeepsStdoutAndStderrApart() {
        var result = kit().exec(kit().sharedIdle(), "sh", "-c", "echo out; echo err >&2");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
    }

    @Test
    default void execPassesItsEnvironmentLiterally() {
        var request = ExecRequest.of("env").withEnv(Map.of("CK_GREETING", "hello \"world\" $(id)"));

        var result = kit().berth().exec(kit().sharedIdle(), request);

        assertThat(result.exitCode()).isZero();
        assertThat(ProcessSettingsCases.parseEnv(result.stdout())).containsEntry("CK_GREETING", "hello \"world\" $(id)");
    }

    @Test
    default void execHonoursUserAndWorkingDir() {
        var request = ExecRequest.of("sh", "-c", "id -u; pwd").withUser("1000").withWorkingDir("/srv");

        var result = kit().berth().exec(kit().sharedIdle(), request);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("1000\n/srv\n");
    }

    @Test
    default void execStreamFeedsStdinToTheCommand() throws IOException {
        try (ExecSession session = kit().berth().execStream(kit().sharedIdle(), ExecRequest.of("cat").withStdin(true))) {
            session.stdin().write("line one\nline two\n".getBytes(StandardCharsets.UTF_8));
            session.stdin().close();

            var events = drain(session);

            assertThat(text(events, LogStream.STDOUT)).isEqualTo("line one\nline two\n");
            assertThat(events.getLast()).isEqualTo(new ExecEvent.Exited(0));
        }
    }

    @Test
    default void execStreamDeliversBothStreamsThenExactlyOneExit() {
        try (ExecSession session = kit().berth().execStream(kit().sharedIdle(),
                ExecRequest.of("sh", "-c", "echo a; echo b >&2; exit 4"))) {
            var events = drain(session);

            assertThat(text(events, LogStream.STDOUT)).isEqualTo("a\n");
            assertThat(text(events, LogStream.STDERR)).isEqualTo("b\n");
            assertThat(events.getLast()).isEqualTo(new ExecEvent.Exited(4));
            assertThat(events).filteredOn(e -> e instanceof ExecEvent.Exited).hasSize(1);
            assertThat(session.next()).as("next() after Exited").isNull();
        }
    }

    /** Reads events up to and including the exit event. */
    private static List<ExecEvent> drain(ExecSession session) {
        var events = new ArrayList<ExecEvent>();
        ExecEvent event;
        do {
            event = session.next();
            assertThat(event).as("event after %s", events).isNotNull();
            events.add(event);
        } while (!(event instanceof ExecEvent.Exited));
        return events;
    }

    private static String text(List<ExecEvent> events, LogStream stream) {
        var bytes = new ByteArrayOutputStream();
        for (var e : events) {
            if (e instanceof ExecEvent.Output out && out.stream() == stream) {
                bytes.writeBytes(out.data());
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
