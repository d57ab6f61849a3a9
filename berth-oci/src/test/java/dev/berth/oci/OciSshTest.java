package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.BackendInfo;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.LogStream;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.Handle;
import dev.berth.engine.Engine;
import dev.berth.net.HostCommands;
import dev.berth.net.LocalHostCommands;
import dev.berth.oci.transport.SshTarget;
import dev.berth.oci.transport.SshTransport;
import dev.berth.testkit.Await;
import dev.berth.testkit.TarWriter;
import dev.berth.testkit.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI backend over the ssh transport, against a real sshd on 127.0.0.1 with the keys of
 * scripts/start-sshd.sh. The remote host is this machine, so a test that merely passes would
 * prove nothing if the backend read or wrote its bundles through the JVM's own file system. The
 * sshd therefore runs in a private mount namespace where the remote root is a tmpfs: every file
 * the backend keeps on the "remote" side exists only behind ssh, and the JVM sees an empty
 * directory at the same path. A bypass of the transport fails (file not found) or leaves a trace
 * in that local directory, which each test checks stays empty.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OciSshTest {
    private static final Path SSH_DIR = Path.of("/var/lib/berth-test/ssh");
    /** The mount point of the sshd's private tmpfs; empty from the JVM's side. */
    private static final Path PRIVATE_MOUNT = Path.of("/var/lib/berth-test/oci-ssh");
    private static final int TEST_SSHD_PORT = 2222;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> IDLE = List.of("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait");
    /** Mounts the tmpfs in the new mount namespace, then becomes sshd; every value is a positional parameter. */
    private static final String PRIVATE_SSHD = "mount -t tmpfs -o mode=0700,size=1g berth-oci-ssh \"$1\" && exec \"$2\" -D -e -f \"$3\"";

    @TempDir
    static Path sshdDir;

    private static Process sshd;
    private static final ByteArrayOutputStream SSHD_LOG = new ByteArrayOutputStream();
    private static String transportUri;
    private static SshTransport remote;

    @TempDir
    Path dataDir;

    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private final String remoteRoot = PRIVATE_MOUNT + "/" + runId;
    private Engine engine;

    @BeforeAll
    static void privateSshd() throws Exception {
        String unavailable = startTestSshd();
        if (unavailable == null) {
            unavailable = startPrivateSshd();
        }
        if (unavailable != null) {
            String required = String.valueOf(System.getenv("BERTH_REQUIRE_BACKENDS"));
            if (required.contains("ssh")) {
                throw new AssertionError("sshd is required (BERTH_REQUIRE_BACKENDS=" + required + ") but unavailable: " + unavailable);
            }
            Assumptions.abort("OciSshTest skipped: " + unavailable);
        }
    }

    @AfterAll
    static void stopPrivateSshd() throws InterruptedException {
        if (remote != null) {
            remote.close();
        }
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor();
        }
    }

    @BeforeEach
    void open() {
        engine = engine();
        TestImages.ensureImported(engine, OciBackendProvider.NAME);
    }

    private Map<String, String> settings() {
        return Map.of(OciBackendProvider.RUNTIME, "runc", OciBackendProvider.TRANSPORT, transportUri,
                OciBackendProvider.ROOT, remoteRoot);
    }

    private Engine engine() {
        return Engine.builder().dataDir(dataDir).provider(OciBackendProvider.oci()).defaultBackend(OciBackendProvider.NAME)
                .backendSettings(OciBackendProvider.NAME, settings()).build();
    }

    /** The backend alone, on the engine's data dir: what happens behind Berth's back. */
    private Backend backend(String ownerId) {
        var config = new HashMap<>(settings());
        config.put(BackendProvider.DATA_DIR, dataDir.toString());
        config.put(BackendProvider.OWNER_ID, ownerId);
        return OciBackendProvider.oci().open(config);
    }

    private String name(String label) {
        return "ssh-" + runId + "-" + label;
    }

    @Test
    void infoNamesTheSshTransportAndWhatIsDegradedOverIt() {
        BackendInfo info = engine.info().backends().stream().filter(b -> b.name().equals(OciBackendProvider.NAME)).findFirst()
                .orElseThrow();

        assertThat(info.available()).isTrue();
        assertThat(info.endpoint()).startsWith("ssh root@127.0.0.1:");
        assertThat(String.join("\n", info.degraded())).contains("rootfs").contains("inotify");
    }

    @Test
    void runReportsTheRealExitCode() {
        String job = name("exit7");
        engine.run(WorkloadSpec.builder(job, TestImages.BUSYBOX).command("/bin/sh", "-c", "exit 7").build());

        assertThat(engine.waitExit(job, WAIT).code()).isEqualTo(7);
        var status = engine.inspect(job);
        assertThat(status.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(status.exit().code()).isEqualTo(7);
        assertThat(status.finishedAt()).isNotNull();
        assertThat(remoteExists(remoteRoot + "/bundles/" + status.handle() + "/status/exit"))
                .as("conmon's exit file on the remote side").isTrue();
    }

    @Test
    void logsKeepStdoutAndStderrApart() {
        String job = name("logs");
        engine.run(WorkloadSpec.builder(job, TestImages.BUSYBOX)
                .command("/bin/sh", "-c", "echo out-1; echo err-1 >&2; echo out-2; printf 'caf\\303\\251'").build());
        assertThat(engine.waitExit(job, WAIT).code()).isZero();

        List<String> out = texts(engine.logs(job, new LogQuery(null, null, false, true, false, false)).toList());
        List<String> err = texts(engine.logs(job, new LogQuery(null, null, false, false, true, false)).toList());

        assertThat(out).containsExactly("out-1", "out-2", "café");
        assertThat(err).containsExactly("err-1");
        assertThat(engine.logs(job, LogQuery.ALL).map(LogLine::stream).toList())
                .containsExactlyInAnyOrder(LogStream.STDOUT, LogStream.STDOUT, LogStream.STDOUT, LogStream.STDERR);
    }

    @Test
    void followedLogsEndWhenTheWorkloadExits() {
        String job = name("follow");
        engine.run(WorkloadSpec.builder(job, TestImages.BUSYBOX)
                .command("/bin/sh", "-c", "echo first; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo last").build());

        try (var lines = engine.logs(job, LogQuery.ALL.withFollow(true))) {
            var it = lines.iterator();
            assertThat(it.next().text()).isEqualTo("first");
            assertThat(engine.exec(job, ExecRequest.of("touch", "/tmp/go")).exitCode()).isZero();
            assertThat(it.next().text()).isEqualTo("last");
            assertThat(it.hasNext()).as("the followed log ends with the workload").isFalse();
        }
    }

    @Test
    void execRunsInTheWorkloadWithItsOwnExitCode() {
        String web = name("exec");
        engine.run(WorkloadSpec.builder(web, TestImages.BUSYBOX).command(IDLE).build());

        var echo = engine.exec(web, ExecRequest.of("echo", "hello over ssh"));
        var failing = engine.exec(web, ExecRequest.of("/bin/sh", "-c", "echo oops >&2; exit 5"));
        var hostname = engine.exec(web, ExecRequest.of("cat", "/etc/hostname"));

        assertThat(echo.exitCode()).isZero();
        assertThat(echo.stdout()).isEqualTo("hello over ssh\n");
        assertThat(failing.exitCode()).isEqualTo(5);
        assertThat(failing.stderr()).isEqualTo("oops\n");
        assertThat(hostname.stdout()).isEqualTo(web + "\n");
        Await.until(WAIT, () -> sshClients().isEmpty(), "no ssh session left open by the run and execs: " + sshClients());
    }

    /** The ssh client processes this JVM started that are still running (the detached control master is not among them). */
    private static List<String> sshClients() {
        return ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("/ssh"))
                .map(p -> p.pid() + " " + String.join(" ", p.info().arguments().orElse(new String[0]))).toList();
    }

    @Test
    void stopEndsTheWorkloadWithTheCodeOfItsTermHandler() {
        String web = name("stop");
        engine.run(WorkloadSpec.builder(web, TestImages.BUSYBOX).command("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait")
                .build());
        String handle = engine.inspect(web).handle();

        var stopped = engine.stop(web, Duration.ofSeconds(10));

        assertThat(stopped.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(stopped.exit().code()).isZero();
        assertThat(runcList()).doesNotContain(handle + " running");
    }

    @Test
    void stopKillsAWorkloadThatIgnoresTerm() {
        String web = name("stubborn");
        engine.run(WorkloadSpec.builder(web, TestImages.BUSYBOX).command("/bin/sh", "-c", "trap '' TERM; sleep 1000 & wait; sleep 1000")
                .build());

        var stopped = engine.stop(web, Duration.ofMillis(500));

        assertThat(stopped.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(stopped.exit().code()).isEqualTo(137);
    }

    @Test
    void workloadThatExitsWhileNoEngineRunsReportsItsRealExitCodeAfterReconcile() {
        String job = name("exit42");
        Engine first = engine;
        engine = null;
        engine = ExitWhileNoEngineRuns.exit42(first, job, this::engine, this::backend);

        assertThat(engine.inspect(job).exit().code()).isEqualTo(42);
    }

    @Test
    void removeFreesTheRemoteBundleRuntimeStateAndConmonLink() {
        String web = name("rm");
        engine.run(WorkloadSpec.builder(web, TestImages.BUSYBOX).command(IDLE).build());
        String handle = engine.inspect(web).handle();
        String bundle = remoteRoot + "/bundles/" + handle;
        assertThat(remoteExists(bundle + "/config.json")).isTrue();
        assertThat(remoteExists(bundle + "/rootfs/bin/busybox")).as("the rootfs copied to the remote side").isTrue();
        assertThat(runcList()).contains(handle);

        assertThat(engine.remove(web, true)).isTrue();

        assertThat(remoteExists(bundle)).as("bundle " + bundle).isFalse();
        assertThat(remoteExists(remoteRoot + "/sock/" + handle)).as("conmon's socket link").isFalse();
        assertThat(runcList()).doesNotContain(handle);
        assertThat(remoteMounts()).as("mounts under the bundle").doesNotContain(bundle);
    }

    @Test
    void copyInAndOutTravelThroughTheTransport() throws IOException {
        String web = name("copy");
        Handle handle = new Handle(OciBackendProvider.NAME, engine.run(WorkloadSpec.builder(web, TestImages.BUSYBOX).command(IDLE)
                .build()).handle());

        try (Backend backend = backend(engine.ownerId())) {
            backend.copyIn(handle, "/srv", new ByteArrayInputStream(tar("greeting.txt", "hi there\n")));
            assertThat(engine.exec(web, ExecRequest.of("cat", "/srv/greeting.txt")).stdout()).isEqualTo("hi there\n");
            try (InputStream out = backend.copyOut(handle, "/srv/greeting.txt")) {
                assertThat(new String(out.readAllBytes(), StandardCharsets.ISO_8859_1)).contains("greeting.txt").contains("hi there\n");
            }
        }
    }

    @Test
    void copyInThroughAnAbsoluteSymlinkStaysInsideTheWorkload() throws IOException {
        String web = name("link");
        Handle handle = new Handle(OciBackendProvider.NAME, engine.run(WorkloadSpec.builder(web, TestImages.BUSYBOX).command(IDLE)
                .build()).handle());
        // On the host this path is inside the private tmpfs, so a write that escaped would land there, harmlessly.
        String escape = remoteRoot + "/escape";
        assertThat(engine.exec(web, ExecRequest.of("ln", "-s", escape, "/tmp/link")).exitCode()).isZero();

        try (Backend backend = backend(engine.ownerId())) {
            backend.copyIn(handle, "/tmp/link", new ByteArrayInputStream(tar("inside.txt", "contained\n")));
        }

        assertThat(engine.exec(web, ExecRequest.of("cat", escape + "/inside.txt")).stdout()).isEqualTo("contained\n");
        assertThat(remoteExists(escape)).as("the host path the workload's symlink names").isFalse();
    }

    @Test
    void followedLogsStayByteExactAfterOutputThatIsNotUtf8() {
        String job = name("binary");
        engine.run(WorkloadSpec.builder(job, TestImages.BUSYBOX).command("/bin/sh", "-c",
                "printf 'bin \\377\\376\\n'; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo after-binary").build());

        try (var lines = engine.logs(job, LogQuery.ALL.withFollow(true))) {
            var it = lines.iterator();
            assertThat(it.next().text()).startsWith("bin ");
            assertThat(engine.exec(job, ExecRequest.of("touch", "/tmp/go")).exitCode()).isZero();
            LogLine after = it.next();
            assertThat(after.text()).isEqualTo("after-binary");
            assertThat(after.timestamp()).as("the record after the binary one, read from its first byte").isNotNull();
        }
    }

    private static byte[] tar(String name, String content) {
        var archive = new ByteArrayOutputStream();
        try (var tar = new TarWriter(archive)) {
            tar.file(name, content, 0644);
        }
        return archive.toByteArray();
    }

    @AfterEach
    void removeEverything() throws IOException {
        if (engine == null) {
            engine = engine();
        }
        try {
            for (var w : engine.list(true)) {
                engine.remove(w.name(), true);
            }
            for (var n : engine.listNetworks()) {
                engine.removeNetwork(n.name());
            }
            assertThat(engine.list(true)).isEmpty();
            assertThat(remoteList(remoteRoot + "/bundles")).as("remote bundles left behind").isEmpty();
            assertThat(runcList()).as("runc containers on the remote side").isEmpty();
        } finally {
            engine.close();
            HostCommands.Result rm = remote.run(List.of("rm", "-rf", "--one-file-system", "--", remoteRoot), null, WAIT);
            assertThat(rm.ok()).as("rm %s: %s", remoteRoot, rm.stderr()).isTrue();
        }
        try (var local = Files.list(PRIVATE_MOUNT)) {
            assertThat(local.toList()).as("files the JVM made itself under the remote root's path (a transport bypass)").isEmpty();
        }
    }

    private static List<String> texts(List<LogLine> lines) {
        return lines.stream().map(LogLine::text).toList();
    }

    private static boolean remoteExists(String path) {
        return remote.run(List.of("test", "-e", path), null, WAIT).ok();
    }

    private static List<String> remoteList(String dir) {
        HostCommands.Result r = remote.run(List.of("ls", "-1A", "--", dir), null, WAIT);
        return r.ok() ? r.stdout().lines().filter(l -> !l.isBlank()).toList() : List.of();
    }

    private static String remoteMounts() {
        return remote.run(List.of("cat", "/proc/self/mountinfo"), null, WAIT).stdout();
    }

    private String runcList() {
        HostCommands.Result r = remote.run(List.of("runc", "--root=" + remoteRoot + "/state/runc", "list"), null, WAIT);
        return r.stdout().lines().skip(1).reduce("", (a, b) -> a + b.replaceAll("\\s+", " ") + "\n");
    }

    /** Makes sure the keys of scripts/start-sshd.sh exist (its sshd on 2222 proves they work). */
    private static String startTestSshd() {
        if (listening(TEST_SSHD_PORT) && Files.isReadable(SSH_DIR.resolve("id_ed25519"))
                && Files.isReadable(SSH_DIR.resolve("sshd_config"))) {
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
        HostCommands.Result started = new LocalHostCommands().run(List.of(script.toString()), null, Duration.ofSeconds(120));
        return started.ok() ? null : script + " failed (exit " + started.exitCode() + "): " + started.stderr().strip();
    }

    /**
     * A second sshd with the test sshd's configuration, keys and host key, on a free port, in a
     * private mount namespace with a tmpfs at {@link #PRIVATE_MOUNT}.
     */
    private static String startPrivateSshd() throws IOException, InterruptedException {
        int port;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var config = new ArrayList<String>();
        for (String line : Files.readAllLines(SSH_DIR.resolve("sshd_config"))) {
            if (line.startsWith("Port ")) {
                line = "Port " + port;
            } else if (line.startsWith("PidFile ")) {
                line = "PidFile " + sshdDir.resolve("sshd.pid");
            }
            config.add(line);
        }
        Files.write(sshdDir.resolve("sshd_config"), config);
        String hostKey = Files.readString(SSH_DIR.resolve("ssh_host_ed25519_key.pub")).strip().split("\\s+", 3)[0] + " "
                + Files.readString(SSH_DIR.resolve("ssh_host_ed25519_key.pub")).strip().split("\\s+", 3)[1];
        Files.writeString(sshdDir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + hostKey + "\n");
        Files.createDirectories(PRIVATE_MOUNT);
        try (var local = Files.list(PRIVATE_MOUNT)) {
            if (local.findAny().isPresent()) {
                return PRIVATE_MOUNT + " is not empty on this side; remove what a previous run left there";
            }
        }
        sshd = new LocalHostCommands().start(List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                PRIVATE_SSHD, "berth-private-sshd", PRIVATE_MOUNT.toString(), "/usr/sbin/sshd", sshdDir.resolve("sshd_config").toString()));
        sshd.getOutputStream().close();
        Thread.ofVirtual().start(() -> copy(sshd.getInputStream()));
        Thread.ofVirtual().start(() -> copy(sshd.getErrorStream()));
        SshTarget target = SshTarget.of("root", "127.0.0.1", port).withIdentity(SSH_DIR.resolve("id_ed25519"))
                .withKnownHosts(sshdDir.resolve("known_hosts"));
        transportUri = "ssh://root@127.0.0.1:" + port + "?identity=" + SSH_DIR.resolve("id_ed25519") + "&knownHosts="
                + sshdDir.resolve("known_hosts");
        try {
            Await.until(WAIT, () -> sshd.isAlive() && listening(port), "the private sshd listening on " + port);
            remote = new SshTransport(target);
            HostCommands.Result mounted = remote.run(List.of("cat", "/proc/self/mountinfo"), null, WAIT);
            if (!mounted.stdout().contains(" " + PRIVATE_MOUNT + " ")) {
                return "the private sshd sees no tmpfs at " + PRIVATE_MOUNT;
            }
            return null;
        } catch (AssertionError | RuntimeException e) {
            return "the private-namespace sshd did not come up (" + e.getMessage() + "): " + SSHD_LOG.toString(StandardCharsets.UTF_8);
        }
    }

    private static void copy(InputStream in) {
        try (in) {
            in.transferTo(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (SSHD_LOG) {
                        SSHD_LOG.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (SSHD_LOG) {
                        SSHD_LOG.write(b, off, len);
                    }
                }
            });
        } catch (IOException e) {
            // sshd ended
        }
    }

    private static boolean listening(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
