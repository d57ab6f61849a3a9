package dev.berth.oci.transport;

import static dev.berth.oci.transport.ShellQuotingTest.hostileWithMarker;
import static dev.berth.oci.transport.ShellQuotingTest.nulSeparated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.HostCommands.Result;
import dev.berth.net.LocalHostCommands;
import dev.berth.testkit.TarWriter;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real test sshd of scripts/start-sshd.sh (127.0.0.1:2222, root, key auth). The
 * remote host is this machine, so the test checks remote effects through its own temp dirs.
 */
class SshTransportTest {
    private static final Path SSH_DIR = Path.of("/var/lib/berth-test/ssh");
    private static final int PORT = 2222;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static SshTarget target;
    private static SshTransport ssh;

    @BeforeAll
    static void sshd() {
        String unavailable = startSshd();
        if (unavailable != null) {
            String required = String.valueOf(System.getenv("BERTH_REQUIRE_BACKENDS"));
            if (required.contains("ssh")) {
                throw new AssertionError("sshd is required (BERTH_REQUIRE_BACKENDS=" + required + ") but unavailable: " + unavailable);
            }
            Assumptions.abort("SshTransportTest skipped: the test sshd on 127.0.0.1:" + PORT + " is unavailable: " + unavailable);
        }
        target = SshTarget.of("root", "127.0.0.1", PORT)
                .withIdentity(SSH_DIR.resolve("id_ed25519"))
                .withKnownHosts(SSH_DIR.resolve("known_hosts"));
        ssh = new SshTransport(target);
    }

    @AfterAll
    static void closeTransport() {
        if (ssh != null) {
            ssh.close();
        }
    }

    @Test
    void hostileArgumentsArriveByteExact(@TempDir Path tmp) {
        Path marker = tmp.resolve("pwned");
        List<String> args = hostileWithMarker(marker);
        var argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(args);

        Result result = ssh.run(argv, null, TIMEOUT);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(nulSeparated(result.stdout())).containsExactlyElementsOf(args);
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void exitCodeAndStderrArePassedThrough() {
        Result result = ssh.run(List.of("sh", "-c", "echo out; echo 'it failed' >&2; exit 7"), null, TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("it failed\n");
        assertThat(ssh.run(List.of("/nonexistent/program")).exitCode()).isEqualTo(127);
    }

    @Test
    void stdinReachesTheRemoteProgram() {
        Result result = ssh.run(List.of("wc", "-c"), "hello\0world\n".getBytes(StandardCharsets.UTF_8), TIMEOUT);

        assertThat(result.stdout().strip()).isEqualTo("12");
    }

    @Test
    void fiveMegabytesOfBinaryRoundTripThroughStartedProcess() throws Exception {
        byte[] data = randomBytes(5 * 1024 * 1024);
        Process cat = ssh.start(List.of("cat"));
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream in = cat.getOutputStream()) {
                in.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        byte[] echoed = cat.getInputStream().readAllBytes();

        writer.join();
        assertThat(cat.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cat.exitValue()).isZero();
        assertThat(echoed).isEqualTo(data);
    }

    @Test
    void startedProcessStreamsStdoutAsStdinArrives() throws Exception {
        Process echo = ssh.start(List.of("sh", "-c", "while IFS= read -r line; do printf 'got:%s\\n' \"$line\"; done; echo done"));
        try (var out = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = echo.getOutputStream()) {
            in.write("first $(x)\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(out.readLine()).isEqualTo("got:first $(x)");
            in.write("second\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(out.readLine()).isEqualTo("got:second");
            in.close();
            assertThat(out.readLine()).isEqualTo("done");
        }
        assertThat(echo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(echo.exitValue()).isZero();
    }

    @Test
    void writeFileAndReadFileKeepBytesModeAndHostileNames(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("it's $(touch x) `y`; *\n-\u00e9.bin");
        byte[] data = randomBytes(5 * 1024 * 1024);

        ssh.writeFile(file.toString(), data, 0640);
        ssh.writeFile(file.toString(), data, 0640); // replacing works and leaves no temp file

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(ssh.readFile(file.toString())).isEqualTo(data);
        try (Stream<Path> entries = Files.list(tmp)) {
            assertThat(entries).containsExactly(file);
        }
    }

    @Test
    void readingAMissingFileIsNotFound(@TempDir Path tmp) {
        String missing = tmp.resolve("no such 'file'").toString();

        assertThatThrownBy(() -> ssh.readFile(missing))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining(missing)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void filePathsMustBeAbsolute() {
        assertThatThrownBy(() -> ssh.readFile("relative/path"))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void extractTarCreatesTheTargetAndKeepsHostileNames(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("target 'dir' $(x)").resolve("-new");
        byte[] tar = tar(w -> w
                .directory("sub dir", 0755, 0, 0)
                .file("sub dir/it's `x`; $(y).txt", "quoted\n", 0644)
                .file("-rf", "dash\n", 0600)
                .file("\u65e5\u672c *?.txt", "unicode\n", 0644));

        ssh.extractTar(dir.toString(), new ByteArrayInputStream(tar));

        assertThat(Files.readString(dir.resolve("sub dir/it's `x`; $(y).txt"))).isEqualTo("quoted\n");
        assertThat(Files.readString(dir.resolve("-rf"))).isEqualTo("dash\n");
        assertThat(Files.readString(dir.resolve("\u65e5\u672c *?.txt"))).isEqualTo("unicode\n");
    }

    @Test
    void extractTarNeverWritesOutsideTheTarget(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("target");
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        byte[] tar = tar(w -> w
                .file("../escaped.txt", "dot-dot\n", 0644)
                .symlink("link", "../outside")
                .file("link/planted.txt", "through a symlink\n", 0644));

        assertThatThrownBy(() -> ssh.extractTar(target.toString(), new ByteArrayInputStream(tar)))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.BACKEND_ERROR));

        assertThat(tmp.resolve("escaped.txt")).doesNotExist();
        try (Stream<Path> planted = Files.list(outside)) {
            assertThat(planted).isEmpty();
        }
    }

    @Test
    void timeoutKillsTheRemoteCommand(@TempDir Path tmp) throws Exception {
        Path pidFile = tmp.resolve("pid");

        assertThatThrownBy(() -> ssh.run(List.of("sh", "-c", "echo $$ > \"$1\"; exec sleep 300", "sh", pidFile.toString()),
                null, Duration.ofSeconds(2)))
                .isInstanceOf(BerthException.class)
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.TIMEOUT));

        long pid = Long.parseLong(Files.readString(pidFile).strip());
        var remote = ProcessHandle.of(pid);
        if (remote.isPresent()) {
            remote.get().onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void unknownHostKeyIsRefused(@TempDir Path tmp) throws IOException {
        Path emptyKnownHosts = Files.createFile(tmp.resolve("known_hosts"));
        for (boolean multiplex : List.of(true, false)) {
            try (var stranger = new SshTransport(target.withKnownHosts(emptyKnownHosts).withMultiplex(multiplex))) {
                assertThatThrownBy(() -> stranger.run(List.of("true")))
                        .isInstanceOf(BerthException.class)
                        .hasMessageContaining("Host key verification failed")
                        .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
            }
        }
    }

    @Test
    void keysOtherThanTheAuthorizedOneAreRefusedWithoutPrompting() {
        try (var impostor = new SshTransport(target.withIdentity(SSH_DIR.resolve("ssh_host_ed25519_key")))) {
            assertThatThrownBy(() -> impostor.run(List.of("true")))
                    .isInstanceOf(BerthException.class)
                    .hasMessageContaining("Permission denied")
                    .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
        }
    }

    @Test
    void multiplexedCallsCostARoundTripNotAHandshake() {
        ssh.run(List.of("true"));
        long multiplexed = medianMillis(ssh, 20);
        long handshake;
        try (var plain = new SshTransport(target.withMultiplex(false))) {
            handshake = medianMillis(plain, 10);
        }
        System.out.printf("ssh per-call latency (median, remote `true`): multiplexed %d ms, new connection %d ms%n",
                multiplexed, handshake);
        assertThat(multiplexed).isLessThan(handshake);
    }

    private static long medianMillis(SshTransport transport, int calls) {
        long[] millis = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            assertThat(transport.run(List.of("true")).ok()).isTrue();
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        return millis[calls / 2];
    }

    private static byte[] randomBytes(int size) {
        byte[] data = new byte[size];
        new Random(42).nextBytes(data);
        return data;
    }

    private static byte[] tar(java.util.function.Consumer<TarWriter> entries) {
        var bytes = new ByteArrayOutputStream();
        try (var writer = new TarWriter(bytes)) {
            entries.accept(writer);
        }
        return bytes.toByteArray();
    }

    /** Null when the test sshd accepts logins (starting it with scripts/start-sshd.sh if needed); else why not. */
    private static String startSshd() {
        if (listening() && Files.isReadable(SSH_DIR.resolve("id_ed25519")) && Files.isReadable(SSH_DIR.resolve("known_hosts"))) {
            return null;
        }
        Path script = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && script == null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts/start-sshd.sh");
            script = Files.isExecutable(candidate) ? candidate : null;
        }
        if (script == null) {
            return "scripts/start-sshd.sh not found above " + Path.of("").toAbsolutePath();
        }
        Result started = new LocalHostCommands().run(List.of(script.toString()), null, Duration.ofSeconds(120));
        return started.ok() ? null : script + " failed (exit " + started.exitCode() + "): " + started.stderr().strip();
    }

    private static boolean listening() {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", PORT), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
