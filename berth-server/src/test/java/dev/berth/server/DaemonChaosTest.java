package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.error.BerthException;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.Signal;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.Handle;
import dev.berth.api.spi.OwnedResource;
import dev.berth.docker.backend.DockerBackendProvider;
import dev.berth.server.client.DaemonAddress;
import dev.berth.server.client.HttpBerthClient;
import dev.berth.testkit.Await;
import dev.berth.testkit.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random operations over 20+ workloads on real docker through a daemon in its own JVM, which is
 * killed with SIGKILL at random points (mid-request) and restarted. At the end every record must
 * match docker, exit codes must be docker's real ones, nothing Berth-labelled may exist that no
 * record explains, and after removing everything nothing with the daemon's owner label remains.
 */
class DaemonChaosTest {
    private static final int WORKLOADS = 24;
    private static final int OPERATIONS = 220;
    private static final int KILLS = 12;
    private static final String IMAGE = TestImages.BUSYBOX;
    private static final Duration START = Duration.ofSeconds(60);

    private final long seed = Long.getLong("berth.chaos.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private Path dir;
    private Process daemon;
    private HttpBerthClient client;
    private boolean passed;

    @AfterEach
    void cleanUp() throws IOException {
        if (client != null) {
            for (WorkloadStatus s : safeList()) {
                swallow(() -> client.remove(s.name(), true));
            }
            client.close();
        }
        if (daemon != null) {
            daemon.destroyForcibly();
        }
        if (passed && dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } else if (dir != null) {
            System.err.println("chaos data dir and daemon log kept for diagnosis: " + dir);
        }
    }

    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void recordsMatchDockerAfterRandomOperationsAndSigkills() throws Exception {
        System.err.println("chaos seed " + seed + " (rerun with -Dberth.chaos.seed=" + seed + ")");
        dir = Files.createTempDirectory("berth-chaos-");
        startDaemon();
        TestImages.ensureImported(client, "docker");
        String ownerId = client.info().ownerId();

        var killAt = new java.util.TreeSet<Integer>();
        while (killAt.size() < KILLS) {
            killAt.add(5 + random.nextInt(OPERATIONS - 10));
        }
        int failures = 0;
        for (int op = 0; op < OPERATIONS; op++) {
            String name = "chaos-" + random.nextInt(WORKLOADS);
            Runnable action = operation(name);
            if (killAt.contains(op)) {
                failures += runAndKill(action);
                startDaemon();
            } else {
                failures += attempt(action);
            }
        }
        System.err.println("chaos: " + OPERATIONS + " operations, " + KILLS + " SIGKILLs, " + failures + " refused/interrupted");

        // One more crash-free restart: reconcile must leave every record true to docker.
        daemon.destroyForcibly().waitFor();
        startDaemon();
        try (Backend docker = DockerBackendProvider.docker().open(Map.of())) {
            List<WorkloadStatus> records = client.list(true);
            assertThat(records).as("chaos touched workloads").isNotEmpty();
            for (WorkloadStatus record : records) {
                assertMatchesDocker(record, docker, ownerId);
            }
            Set<String> handles = records.stream().map(WorkloadStatus::handle).collect(Collectors.toSet());
            List<OwnedResource> unexplained = docker.listOwned(ownerId).stream()
                    .filter(r -> r.kind() == OwnedResource.Kind.WORKLOAD && !handles.contains(r.id())).toList();
            assertThat(unexplained).as("containers with our owner label that no record explains").isEmpty();

            for (WorkloadStatus record : records) {
                assertThat(client.remove(record.name(), true)).isTrue();
            }
            assertThat(client.list(true)).isEmpty();
            assertThat(docker.listOwned(ownerId)).as("resources left with owner " + ownerId).isEmpty();
        }
        passed = true;
    }

    private void assertMatchesDocker(WorkloadStatus record, Backend docker, String ownerId) {
        if (record.handle() == null) {
            // Killed between the record and docker's create: kept as in flight, and docker must hold nothing for it.
            assertThat(docker.find(ownerId, record.name())).as(record.name() + " has no handle but docker has a container").isEmpty();
            return;
        }
        BackendStatus real = docker.inspect(new Handle("docker", record.handle()));
        String what = record.name() + " record " + record.state() + " " + record.exit() + " vs docker " + real.state() + " " + real.exit();
        if (real.state().isActive()) {
            assertThat(record.state().isActive()).as(what).isTrue();
        } else if (real.state() == WorkloadState.EXITED) {
            assertThat(record.state()).as(what).isEqualTo(WorkloadState.EXITED);
            assertThat(record.exit()).as(what).isNotNull();
            assertThat(record.exit().code()).as(what).isEqualTo(real.exit().code());
        } else {
            assertThat(record.state()).as(what).isEqualTo(real.state());
        }
    }

    /** One random operation on {@code name}. */
    private Runnable operation(String name) {
        int pick = random.nextInt(100);
        int code = random.nextInt(100);
        if (pick < 30) {
            List<String> command = random.nextBoolean()
                    ? List.of("/bin/sh", "-c", "sleep 0.$RANDOM; exit " + code)
                    : List.of("/bin/sh", "-c", "trap 'exit " + code + "' TERM; sleep 300 & wait");
            return () -> client.run(WorkloadSpec.builder(name, IMAGE).command(command).build());
        }
        if (pick < 45) {
            return () -> client.stop(name, Duration.ofSeconds(2));
        }
        if (pick < 55) {
            return () -> client.kill(name, Signal.parse("TERM"));
        }
        if (pick < 65) {
            return () -> client.start(name);
        }
        if (pick < 72) {
            return () -> client.restart(name, Duration.ofSeconds(2));
        }
        if (pick < 85) {
            return () -> client.remove(name, true);
        }
        if (pick < 93) {
            return () -> client.inspect(name);
        }
        return () -> client.list(true);
    }

    /** Runs the operation and SIGKILLs the daemon after a random delay, usually while the request is in flight. */
    private int runAndKill(Runnable action) throws InterruptedException {
        var error = new AtomicReference<RuntimeException>();
        Thread worker = Thread.ofVirtual().start(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                error.set(e);
            }
        });
        worker.join(Duration.ofMillis(random.nextInt(120)));
        daemon.destroyForcibly().waitFor();
        worker.join();
        return error.get() == null ? 0 : 1;
    }

    private static int attempt(Runnable action) {
        try {
            action.run();
            return 0;
        } catch (BerthException e) {
            return 1; // not found, conflict (e.g. start of a running one): expected among random operations
        }
    }

    private void startDaemon() throws IOException {
        Path socket = dir.resolve("berth.sock");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        daemon = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChaosDaemonMain.class.getName(),
                socket.toString(), dir.resolve("data").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile()))
                .start();
        if (client == null) {
            client = new HttpBerthClient(DaemonAddress.unix(socket), null);
        }
        Await.until(START, () -> {
            if (!daemon.isAlive()) {
                throw new AssertionError("daemon exited with " + daemon.exitValue() + "; see " + dir.resolve("daemon.log"));
            }
            try {
                client.ping();
                return true;
            } catch (BerthException e) {
                return false;
            }
        }, "the daemon answers on " + socket);
    }

    private List<WorkloadStatus> safeList() {
        try {
            return client.list(true);
        } catch (RuntimeException e) {
            return new ArrayList<>();
        }
    }

    private static void swallow(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // cleanup
        }
    }
}
