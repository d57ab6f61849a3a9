package dev.berth.bench;

import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.server.client.HttpBerthClient;
import dev.berth.testkit.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon under load, started as users start it ({@code berth daemon}) on the real dockerd:
 * (1) 50 concurrent API clients x 20 operations each (create+start, then ps and inspect, then
 * rm): errors, p50/p99 per operation; (2) 1,000 exited workload records: the daemon's RSS and
 * the latency of listing them, next to {@code docker ps -a} and {@code docker inspect} for scale.
 * Usage: DaemonBench BERTH_LAUNCHER [clients] [records].
 */
public final class DaemonBench {
    private static final String IMAGE = TestImages.BUSYBOX;

    private DaemonBench() {
    }

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(args[0]);
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int records = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Path dir = Files.createTempDirectory("berth-daemon-bench-");
        try (var daemon = BenchDaemon.start(launcher.toString(), "docker", dir)) {
            TestImages.ensureImported(daemon.client, "docker");
            concurrency(daemon.client, clients, 20);
            manyRecords(daemon.client, daemon.process, records);
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Each client: create+start one workload; once all 50 run (a barrier, so the ps/inspect figures
     * are the daemon's and not dockerd's creation backlog), 9 x (ps, inspect); then rm: 20 operations.
     */
    private static void concurrency(HttpBerthClient client, int clients, int opsPerClient) throws InterruptedException {
        var latencies = new ConcurrentHashMap<String, List<Double>>();
        var errors = new CopyOnWriteArrayList<String>();
        var ops = new AtomicInteger();
        long start = System.nanoTime();
        var allRunning = new java.util.concurrent.CyclicBarrier(clients);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                String name = "bench-c" + c;
                pool.submit(() -> {
                    try (var own = new HttpBerthClient(client.address(), null)) {
                        time(latencies, "create+start", () -> own.run(WorkloadSpec.builder(name, IMAGE)
                                .command("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait").build()), errors, ops);
                        await(allRunning);
                        for (int i = 0; i < (opsPerClient - 2) / 2; i++) {
                            time(latencies, "ps", () -> own.list(false), errors, ops);
                            time(latencies, "inspect", () -> own.inspect(name), errors, ops);
                        }
                        time(latencies, "rm -f", () -> own.remove(name, true), errors, ops);
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%n### Daemon: %d concurrent API clients x %d operations (unix socket, docker backend)%n%n", clients, opsPerClient);
        System.out.printf("%d operations in %.1f s, %d errors%s%n%n", ops.get(), seconds, errors.size(),
                errors.isEmpty() ? "" : ": " + errors.subList(0, Math.min(3, errors.size())));
        System.out.println("| operation | count | p50 | p99 |");
        System.out.println("|---|---|---|---|");
        for (String op : List.of("ps", "inspect", "create+start", "rm -f")) {
            List<Double> values = latencies.getOrDefault(op, List.of());
            System.out.printf("| %s | %d | %.1f ms | %.1f ms |%n", op, values.size(), percentile(values, 50), percentile(values, 99));
        }
    }

    private static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException | java.util.concurrent.BrokenBarrierException e) {
            throw new IllegalStateException("clients did not all reach the barrier", e);
        }
    }

    private static void time(Map<String, List<Double>> latencies, String op, Runnable action, List<String> errors, AtomicInteger ops) {
        long t0 = System.nanoTime();
        try {
            action.run();
            latencies.computeIfAbsent(op, k -> new CopyOnWriteArrayList<>()).add((System.nanoTime() - t0) / 1e6);
        } catch (RuntimeException e) {
            errors.add(op + ": " + e.getMessage());
        } finally {
            ops.incrementAndGet();
        }
    }

    /** Runs `true` {@code records} times (8 at a time), then measures RSS and listing. */
    private static void manyRecords(HttpBerthClient client, Process daemon, int records) throws Exception {
        var gate = new Semaphore(8);
        var failed = new AtomicInteger();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < records; i++) {
                String name = "bench-r" + i;
                gate.acquire();
                pool.submit(() -> {
                    try {
                        client.run(WorkloadSpec.builder(name, IMAGE).command("true").build());
                        client.waitExit(name, Duration.ofSeconds(60));
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    } finally {
                        gate.release();
                    }
                });
            }
        }
        List<WorkloadStatus> all = client.list(true);
        long exited = all.stream().filter(s -> s.state() == dev.berth.api.model.WorkloadState.EXITED).count();
        var listTimes = new ArrayList<Double>();
        for (int i = 0; i < 30; i++) {
            listTimes.add(Commands.timeMillis(() -> client.list(true)));
        }
        var dockerPs = new ArrayList<Double>();
        for (int i = 0; i < 10; i++) {
            dockerPs.add(Commands.timeMillis(() -> Commands.run(List.of("docker", "ps", "-a", "--filter", "label=dev.berth.owner", "-q"))));
        }
        long rss = rssKiB(daemon);
        System.out.printf("%n### Daemon with %d exited workload records (%d failed to create)%n%n", exited, failed.get());
        System.out.println("| measure | value | reference |");
        System.out.println("|---|---|---|");
        System.out.printf("| daemon RSS | %.1f MB | floor <= 200 MB |%n", rss / 1024.0);
        System.out.printf("| list all %d records (GET /v1/workloads?all=true, client-side, p50 / p99 of 30) | %.1f / %.1f ms | floor <= 100 ms; `docker ps -a -q` of the same containers %.1f ms |%n",
                all.size(), percentile(listTimes, 50), percentile(listTimes, 99), Sample.median(dockerPs));
        for (WorkloadStatus s : all) {
            client.remove(s.name(), true);
        }
    }

    /** The JVM's resident set: the launcher execs java, so the process is the daemon itself. */
    private static long rssKiB(Process daemon) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(daemon.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
