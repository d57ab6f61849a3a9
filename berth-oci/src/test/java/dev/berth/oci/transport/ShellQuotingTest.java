package dev.berth.oci.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.HostCommands.Result;
import dev.berth.net.LocalHostCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellQuotingTest {
    /** Arguments that break naive command building; each must arrive byte-exact. */
    static final List<String> HOSTILE = List.of(
            "it's", "''", "\"double\"", "$HOME", "${IFS}", "`id`", "a; echo injected", "a && b || c", "x | y",
            "line1\nline2", "trailing newlines\n\n", "\ttab", "*", "?", "[a-z]", "~", "~root", "  spaced  out  ",
            "", "-n", "--", "-rf /", "back\\slash\\", "!event", "#comment", "a=b", "caf\u00e9", "\u65e5\u672c\u8a9e",
            "emoji \uD83D\uDE00", "mixed 'é' \"日\" $(x)", "\u0001\u001f\u007f", ">redirect", "<in", "%s%n");

    /** The hostile list plus a command substitution that would create {@code marker} if it ever ran. */
    static List<String> hostileWithMarker(Path marker) {
        var args = new ArrayList<>(HOSTILE);
        args.add("$(touch " + marker + ")");
        args.add("`touch " + marker + "`");
        return args;
    }

    /** Splits {@code printf '%s\0' ARGS} output back into the arguments. */
    static List<String> nulSeparated(String output) {
        assertThat(output).endsWith("\0");
        return Arrays.asList(output.substring(0, output.length() - 1).split("\0", -1));
    }

    @Test
    void asciiWordsAreSingleQuoted() {
        assertThat(ShellQuoting.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
        assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuoting.command(List.of("printf", "%s", "$x"))).isEqualTo("'printf' '%s' '$x'");
    }

    @Test
    void nonAsciiTravelsAsOctalBytesSoTheCommandLineStaysAscii() {
        assertThat(ShellQuoting.quote("caf\u00e9")).isEqualTo("'caf'\"$(printf '\\303\\251')\"");
        for (String arg : HOSTILE) {
            assertThat(ShellQuoting.quote(arg).chars()).as(arg).allMatch(c -> c < 0x80);
        }
    }

    @Test
    void nulAndUnpairedSurrogatesAreRejected() {
        assertThatThrownBy(() -> ShellQuoting.quote("a\0b"))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> ShellQuoting.quote("x\uD800y"))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> ShellQuoting.command(List.of()))
                .isInstanceOf(BerthException.class);
    }

    @Test
    void hostileArgumentsSurviveRealShellsByteExact(@TempDir Path tmp) {
        Path marker = tmp.resolve("pwned");
        List<String> args = hostileWithMarker(marker);
        var argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(args);
        for (String shell : List.of("sh", "bash")) {
            Result result = new LocalHostCommands()
                    .run(List.of(shell, "-c", ShellQuoting.command(argv)), null, Duration.ofSeconds(10));
            assertThat(result.exitCode()).as(shell + ": " + result.stderr()).isZero();
            assertThat(nulSeparated(result.stdout())).as(shell).containsExactlyElementsOf(args);
        }
        assertThat(Files.exists(marker)).isFalse();
    }
}
