package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.spec.PortMapping;
import dev.berth.api.spec.Protocol;
import dev.berth.api.spec.RestartMode;
import dev.berth.api.spec.RestartPolicy;
import dev.berth.api.spec.TmpfsMount;
import dev.berth.api.spec.Ulimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagsTest {
    @Test
    void publishContainerPortOnlyAsksForAnEphemeralHostPort() {
        assertThat(Flags.publish("8080")).containsExactly(new PortMapping(8080, 0, Protocol.TCP, null));
    }

    @Test
    void publishHostPortZeroIsEphemeral() {
        assertThat(Flags.publish("0:8080")).containsExactly(new PortMapping(8080, 0, Protocol.TCP, null));
    }

    @Test
    void publishReadsHostIpHostPortContainerPortAndProtocol() {
        assertThat(Flags.publish("127.0.0.1:8080:80/udp"))
                .containsExactly(new PortMapping(80, 8080, Protocol.UDP, "127.0.0.1"));
    }

    @Test
    void publishAcceptsEmptyHostPortBracketedIpv6AndRanges() {
        assertThat(Flags.publish("127.0.0.1::80")).containsExactly(new PortMapping(80, 0, Protocol.TCP, "127.0.0.1"));
        assertThat(Flags.publish("[::1]:9000:90/sctp")).containsExactly(new PortMapping(90, 9000, Protocol.SCTP, "::1"));
        assertThat(Flags.publish("8000-8001:80-81")).containsExactly(
                new PortMapping(80, 8000, Protocol.TCP, null), new PortMapping(81, 8001, Protocol.TCP, null));
    }

    @Test
    void publishRejectsGarbageNamingTheFlag() {
        for (String bad : List.of("http", "80/icmp", "1:2:3:4", "8000-8002:80-81", "", "99999")) {
            assertThatThrownBy(() -> Flags.publish(bad)).isInstanceOf(BerthException.class)
                    .hasMessageStartingWith("--publish: invalid value '" + bad + "'");
        }
    }

    @Test
    void envSplitsAtTheFirstEqualsAndKeepsValuesLiterally() {
        Map<String, String> env = Flags.env("--env", List.of("a=b=c", "CMD=$(rm -rf /) `x` \"q\" 'p' ; |", "EMPTY="),
                key -> null);
        assertThat(env).containsExactly(Map.entry("a", "b=c"), Map.entry("CMD", "$(rm -rf /) `x` \"q\" 'p' ; |"),
                Map.entry("EMPTY", ""));
    }

    @Test
    void envBareKeyCopiesFromTheEnvironmentOrIsSkipped() {
        Map<String, String> env = Flags.env("--env", List.of("HOME", "UNSET"), key -> key.equals("HOME") ? "/root" : null);
        assertThat(env).containsExactly(Map.entry("HOME", "/root"));
    }

    @Test
    void envRejectsEmptyKey() {
        assertThatThrownBy(() -> Flags.env("--env", List.of("=x"), k -> null)).hasMessageStartingWith("--env: invalid value '=x'");
    }

    @Test
    void envFileSkipsCommentsAndBlankLinesAndKeepsQuotes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("env");
        Files.writeString(file, "# comment\n\nA=1\r\n  B=\"two words\"\nC=x=y\n");
        assertThat(Flags.envFile(file, k -> null)).containsExactly(
                Map.entry("A", "1"), Map.entry("B", "\"two words\""), Map.entry("C", "x=y"));
    }

    @Test
    void envFileThatCannotBeReadNamesFlagAndFile(@TempDir Path dir) {
        assertThatThrownBy(() -> Flags.envFile(dir.resolve("missing"), k -> null))
                .hasMessage("--env-file: cannot read " + dir.resolve("missing") + ": no such file");
    }

    @Test
    void tmpfsReadsSizeModeAndExec() {
        assertThat(Flags.tmpfs("/run")).isEqualTo(new TmpfsMount("/run", null, false, null));
        assertThat(Flags.tmpfs("/run:size=64m,exec,mode=1777")).isEqualTo(new TmpfsMount("/run", "64m", true, "1777"));
        assertThatThrownBy(() -> Flags.tmpfs("/run:bogus")).hasMessageStartingWith("--tmpfs: invalid value");
    }

    @Test
    void ulimitReadsSoftAndHard() {
        assertThat(Flags.ulimits(List.of("nofile=1024:2048", "nproc=-1")))
                .containsExactly(Map.entry("nofile", new Ulimit(1024, 2048)), Map.entry("nproc", new Ulimit(-1, -1)));
        assertThatThrownBy(() -> Flags.ulimits(List.of("nofile"))).hasMessageStartingWith("--ulimit: invalid value");
    }

    @Test
    void restartReadsModeAndRetries() {
        assertThat(Flags.restart("on-failure:3")).isEqualTo(new RestartPolicy(RestartMode.ON_FAILURE, 3));
        assertThat(Flags.restart("unless-stopped")).isEqualTo(new RestartPolicy(RestartMode.UNLESS_STOPPED, 0));
        assertThatThrownBy(() -> Flags.restart("sometimes"))
                .hasMessage("--restart: invalid value 'sometimes'; allowed: no, on-failure, always, unless-stopped");
    }

    @Test
    void sinceAcceptsDurationsAndTimestamps() {
        Instant now = Instant.parse("2024-05-01T12:00:00Z");
        assertThat(Flags.since("10m", now)).isEqualTo(Instant.parse("2024-05-01T11:50:00Z"));
        assertThat(Flags.since("2024-05-01T14:00:00+02:00", now)).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThatThrownBy(() -> Flags.since("yesterday", now)).hasMessageStartingWith("--since: invalid value 'yesterday'");
    }

    @Test
    void generatedNamesAreDnsLabels() {
        for (int i = 0; i < 200; i++) {
            assertThat(NameGenerator.next()).matches("[a-z]+-[a-z]+-[0-9a-f]{4}");
        }
    }
}
