package dev.berth.oci.transport;

import static dev.berth.oci.transport.ShellQuotingTest.hostileWithMarker;
import static dev.berth.oci.transport.ShellQuotingTest.nulSeparated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.HostCommands.Result;
import dev.berth.testkit.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * There is no WSL here: a fake wsl.exe records the arguments and environment it receives,
 * checks the {@code --distribution D --cd DIR --exec} prefix, and execs the rest locally, so
 * the exact wsl.exe argv is asserted and everything after it (the evaluator, the quoting, the
 * file scripts) runs for real under /bin/sh. Not covered: wsl.exe's own parsing on Windows.
 */
class WslTransportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String FAKE_WSL = """
            #!/bin/bash
            set -euo pipefail
            here="$(dirname "$0")"
            printf '%s\\0' "$@" >"$here/args"
            printf '%s' "${WSLENV-}" >"$here/wslenv"
            if [[ $# -lt 6 || "$1" != --distribution || "$3" != --cd || "$5" != --exec ]]; then
              echo "fake wsl.exe: unexpected arguments" >&2
              exit 2
            fi
            cd "$4"
            shift 5
            exec "$@"
            """;

    @TempDir
    Path tmp;
    Path bin;
    WslTransport wsl;

    @BeforeEach
    void fakeWsl() throws IOException {
        bin = Files.createDirectory(tmp.resolve("bin"));
        Path exe = bin.resolve("wsl.exe");
        Files.writeString(exe, FAKE_WSL);
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
        wsl = new WslTransport("Ubuntu-24.04", exe.toString());
    }

    @Test
    void wslExeGetsOnlyConstantArgumentsAndTheCommandTravelsInTheEnvironment() throws IOException {
        Path marker = tmp.resolve("pwned");
        List<String> args = hostileWithMarker(marker);
        var argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(args);

        Result result = wsl.run(argv, null, TIMEOUT);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(nulSeparated(result.stdout())).containsExactlyElementsOf(args);
        assertThat(Files.exists(marker)).isFalse();
        assertThat(nulSeparated(Files.readString(bin.resolve("args")))).containsExactly(
                "--distribution", "Ubuntu-24.04", "--cd", "/", "--exec", "/bin/sh", "-c",
                "set -f; IFS=; eval exec $BERTH_WSL_COMMAND");
        assertThat(Files.readString(bin.resolve("wslenv"))).endsWith("BERTH_WSL_COMMAND");
    }

    @Test
    void exitCodeStderrAndStdinArePassedThrough() {
        Result failed = wsl.run(List.of("sh", "-c", "echo 'it failed' >&2; exit 3"), null, TIMEOUT);
        Result counted = wsl.run(List.of("wc", "-c"), "a\0b\n".getBytes(StandardCharsets.UTF_8), TIMEOUT);

        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.stderr()).isEqualTo("it failed\n");
        assertThat(counted.stdout().strip()).isEqualTo("4");
    }

    @Test
    void startedProcessPipesBinaryStdio() throws Exception {
        byte[] data = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(data);
        Process cat = wsl.start(List.of("cat"));
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream in = cat.getOutputStream()) {
                in.write(data);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        byte[] echoed = cat.getInputStream().readAllBytes();

        writer.join();
        assertThat(cat.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(echoed).isEqualTo(data);
    }

    @Test
    void fileOperationsUseTheSameConstantScripts() throws IOException {
        Path file = tmp.resolve("it's $(x) \u00e9.txt");
        Path dir = tmp.resolve("out `y`");

        wsl.writeFile(file.toString(), "content\n".getBytes(StandardCharsets.UTF_8), 0600);
        wsl.extractTar(dir.toString(), new ByteArrayInputStream(tar()));

        assertThat(wsl.readFile(file.toString())).isEqualTo("content\n".getBytes(StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("a; b.txt"))).isEqualTo("tar\n");
        assertThatThrownBy(() -> wsl.readFile(tmp.resolve("missing").toString()))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void timeoutKillsTheLinuxCommand() throws Exception {
        Path pidFile = tmp.resolve("pid");

        assertThatThrownBy(() -> wsl.run(List.of("sh", "-c", "echo $$ > \"$1\"; exec sleep 300", "sh", pidFile.toString()),
                null, Duration.ofSeconds(1)))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.TIMEOUT));

        long pid = Long.parseLong(Files.readString(pidFile).strip());
        var process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void invalidDistributionNamesAndAMissingWslExeAreClearErrors() {
        assertThatThrownBy(() -> new WslTransport("--exec"))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("transport: WSL distribution '--exec' is invalid");
        try (var missing = new WslTransport("Ubuntu", tmp.resolve("no-wsl.exe").toString())) {
            assertThatThrownBy(() -> missing.run(List.of("true")))
                    .isInstanceOf(BerthException.class)
                    .hasMessageContaining("cannot run")
                    .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
        }
    }

    private static byte[] tar() {
        var bytes = new ByteArrayOutputStream();
        try (var writer = new TarWriter(bytes)) {
            writer.file("a; b.txt", "tar\n", 0644);
        }
        return bytes.toByteArray();
    }
}
