package dev.berth.bench;

import dev.berth.api.spec.WorkloadSpec;
import dev.berth.docker.backend.DockerBackendProvider;
import dev.berth.engine.Engine;
import dev.berth.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Berth's docker backend against the docker CLI, in one run, with paired medians:
 * (a) create+start+wait+remove of `true` vs `docker run --rm`;
 * (b) run a long-lived workload, read its IP, force-remove vs `docker run -d` + `docker inspect` + `docker rm -f`;
 * (c) the `berth run --rm` CLI end to end, and the JVM start share of it (`berth version`).
 * Usage: DockerBench [rounds] [berth-launcher]
 */
public final class DockerBench {
    private static final String IMAGE = TestImages.BUSYBOX;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String launcher = args.length > 1 ? args[1] : null;
        Path dataDir = Files.createTempDirectory("berth-bench");
        var lines = new ArrayList<String>();
        try (Engine engine = Engine.builder().dataDir(dataDir).provider(DockerBackendProvider.docker())
                .defaultBackend("docker").backendSettings("docker", Map.of()).build()) {
            TestImages.ensureImported(engine, "docker");
            var a = new Sample("(a) create+start+wait+remove `true`", "berth", "docker run --rm");
            var b = new Sample("(b) run -d, inspect IP, rm -f", "berth", "docker CLI x3");
            var rawA = new Sample("(a) the same Engine API calls, no engine", "raw API", "docker run --rm");
            var rawB = new Sample("(b) the same Engine API calls, no engine", "raw API", "docker CLI x3");
            var raw = RawApi.open();
            int warmup = 5;
            for (int i = 0; i < rounds + warmup; i++) {
                boolean berthFirst = i % 2 == 0;
                String name = "bench-" + i;
                double ba;
                double da;
                if (berthFirst) {
                    ba = Commands.timeMillis(() -> berthRunTrue(engine, name + "a"));
                    da = Commands.timeMillis(DockerBench::dockerRunTrue);
                } else {
                    da = Commands.timeMillis(DockerBench::dockerRunTrue);
                    ba = Commands.timeMillis(() -> berthRunTrue(engine, name + "a"));
                }
                double bb;
                double db;
                if (berthFirst) {
                    bb = Commands.timeMillis(() -> berthRunInspectRemove(engine, name + "b"));
                    db = Commands.timeMillis(DockerBench::dockerRunInspectRemove);
                } else {
                    db = Commands.timeMillis(DockerBench::dockerRunInspectRemove);
                    bb = Commands.timeMillis(() -> berthRunInspectRemove(engine, name + "b"));
                }
                double ra = Commands.timeMillis(() -> raw.runTrue(IMAGE));
                double rb = Commands.timeMillis(() -> raw.runInspectRemove(IMAGE));
                if (i >= warmup) {
                    a.add(ba, da);
                    b.add(bb, db);
                    rawA.add(ra, da);
                    rawB.add(rb, db);
                }
            }
            lines.add("| scenario | Berth (median) | peer (median) | paired ratio | floor |");
            lines.add("| --- | --- | --- | --- | --- |");
            lines.add(a.row(0.95));
            lines.add(rawA.row(null));
            lines.add(b.row(0.85));
            lines.add(rawB.row(null));
            raw.close();
            if (launcher != null) {
                lines.addAll(cli(launcher, Math.min(rounds, 10)));
            }
        }
        System.out.println("Berth docker benchmark, " + rounds + " paired rounds, image " + IMAGE);
        lines.forEach(System.out::println);
    }

    private static void berthRunTrue(Engine engine, String name) {
        engine.run(WorkloadSpec.builder(name, IMAGE).command("true").build());
        var exit = engine.waitExit(name, null);
        if (exit.code() != 0) {
            throw new IllegalStateException("true exited " + exit);
        }
        engine.remove(name, true);
    }

    private static void dockerRunTrue() {
        Commands.run(List.of("docker", "run", "--rm", IMAGE, "true"));
    }

    private static void berthRunInspectRemove(Engine engine, String name) {
        engine.run(WorkloadSpec.builder(name, IMAGE).command("sleep", "300").build());
        if (engine.inspect(name).ip() == null) {
            throw new IllegalStateException("no IP for " + name);
        }
        engine.remove(name, true);
    }

    private static void dockerRunInspectRemove() {
        String id = Commands.run(List.of("docker", "run", "-d", IMAGE, "sleep", "300"));
        String ip = Commands.run(List.of("docker", "inspect", "-f", "{{.NetworkSettings.IPAddress}}", id));
        if (ip.isEmpty()) {
            throw new IllegalStateException("no IP for " + id);
        }
        Commands.run(List.of("docker", "rm", "-f", id));
    }

    /** The CLI end to end: a fresh JVM per command, so JVM start counts; `berth version` isolates that share. */
    private static List<String> cli(String launcher, int rounds) {
        var run = new ArrayList<Double>();
        var version = new ArrayList<Double>();
        var docker = new ArrayList<Double>();
        Commands.run(List.of(launcher, "--backend", "docker", "run", "--rm", IMAGE, "true")); // warm the page cache
        for (int i = 0; i < rounds; i++) {
            run.add(Commands.timeMillis(() -> Commands.run(List.of(launcher, "--backend", "docker", "run", "--rm", IMAGE, "true"))));
            version.add(Commands.timeMillis(() -> Commands.run(List.of(launcher, "version"))));
            docker.add(Commands.timeMillis(DockerBench::dockerRunTrue));
        }
        double r = Sample.median(run);
        double v = Sample.median(version);
        return List.of(String.format("| (c) `berth run --rm %s true` CLI end to end | %.1f ms | docker run --rm %.1f ms | %.3fx | JVM start + CLI parse (`berth version`) %.1f ms = %.0f%% of it |",
                IMAGE, r, Sample.median(docker), r / Sample.median(docker), v, 100 * v / r));
    }
}
