package dev.berth.bench;

import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.engine.Engine;
import dev.berth.oci.OciBackendProvider;
import dev.berth.testkit.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Berth's oci backend against the raw runtime CLI, in one run, with paired medians:
 * (a) create+start to running of a busybox {@code sleep} on runc: Engine.run (warm JVM) vs {@code runc run -d};
 * (b) the same on runsc (gVisor, ptrace) vs {@code runsc run -d} with Berth's runsc flags;
 * (c) {@code berth run --rm IMAGE true} through the CLI (embedded, and through a daemon) vs {@code runc run}.
 * The raw bundles copy a config.json Berth made; see {@link OciRawRuntime} for what differs.
 * Usage: OciBench [rounds] [berth-launcher]
 */
public final class OciBench {
    private static final String IMAGE = TestImages.BUSYBOX;
    private static final int WARMUP = 5;
    private static final String ANCHOR = "bench-anchor";

    private OciBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String launcher = args.length > 1 ? args[1] : null;
        Path base = Files.createTempDirectory(Path.of("/var/tmp"), "berth-oci-bench-");
        var lines = new ArrayList<String>();
        lines.add("| scenario | Berth (median) | peer (median) | paired ratio | floor |");
        lines.add("| --- | --- | --- | --- | --- |");
        try {
            Path dataDir = base.resolve("engine");
            try (Engine engine = Engine.builder().dataDir(dataDir).provider(OciBackendProvider.oci()).defaultBackend("oci")
                    .backendSettings("oci", Map.of()).build()) {
                try {
                    TestImages.ensureImported(engine, "oci");
                    // Keeps the default network's bridge up, as any other workload would: each run then pays its
                    // own netns + veth + firewall attach, not the bridge's creation and removal.
                    engine.run(WorkloadSpec.builder(ANCHOR, IMAGE).runtime("runc").command("sleep", "3600").build());
                    lines.addAll(engineRows(engine, dataDir, base, "runc", rounds, 1.3));
                    lines.addAll(engineRows(engine, dataDir, base, "runsc", rounds, 1.2));
                } finally {
                    removeAll(engine);
                }
            }
            if (launcher != null) {
                lines.addAll(cli(launcher, base, Math.min(rounds, 15)));
            }
        } finally {
            OciRawRuntime.deleteTree(base);
        }
        System.out.println("Berth oci benchmark, " + rounds + " paired rounds after " + WARMUP + " warm-up rounds, image " + IMAGE);
        lines.forEach(System.out::println);
        System.out.println();
        System.out.println("""
                - (a)/(b) Berth: Engine.run in a warm JVM until it returns RUNNING: record write, bundle dir + metadata, \
                overlay mount over the store's layers and the netns reserved (in parallel), /etc files, config.json, \
                conmon started and its sync report read (runtime create) while the veth, address and rules are plugged \
                in on the default network (bridge kept up by an idle workload), runtime start. Peer: the same runtime's \
                `run -d` on a pre-made bundle (copy of a Berth config.json, own overlay over the same layers mounted \
                before timing, fresh upper dir), a new empty network namespace (no veth/bridge/firewall), no conmon: \
                the floor. Conmon path: that pre-made bundle run the way Berth supervises a container (conmon started \
                by Berth's own Conmon class, creating it with the runtime; then the runtime's start), nothing else of \
                Berth's. runsc everywhere: --platform=ptrace --network=host. Removal is not timed.
                - (c) Berth: a fresh `berth` JVM (launcher) doing create+start+wait+remove of `true`, embedded (its own \
                engine in the process) or through `berth daemon`; the bridge kept up by an idle workload. Peer: \
                `runc run` in the foreground on a pre-made bundle as above (deletes the container at exit, like --rm); \
                no netns setup, no JVM.""");
    }

    /**
     * Berth's Engine.run, the raw runtime's {@code run -d}, and conmon + the runtime without Berth,
     * each round in a rotating order. Rows: Berth vs raw (the floor), conmon path vs raw (what the
     * supervision alone costs), Berth vs conmon path (what Berth adds on top of it).
     */
    private static List<String> engineRows(Engine engine, Path dataDir, Path base, String runtime, int rounds, double floor)
            throws IOException {
        String template = "tpl-" + runtime;
        engine.run(sleeper(template, runtime));
        OciRawRuntime raw;
        try {
            raw = new OciRawRuntime(runtime, base.resolve("raw-" + runtime), bundleOf(dataDir, template));
        } finally {
            engine.remove(template, true);
        }
        String tag = "(" + (runtime.equals("runc") ? "a" : "b") + ") ";
        var berthVsRaw = new Sample(tag + "create+start to running, " + runtime, "Engine.run", runtime + " run -d");
        var conmonVsRaw = new Sample(tag + "the same without Berth: conmon + " + runtime + " create, " + runtime + " start",
                "conmon path", runtime + " run -d");
        var berthVsConmon = new Sample(tag + "Berth's own share: Engine.run vs the conmon path", "Engine.run", "conmon path");
        try (raw) {
            for (int i = 0; i < rounds + WARMUP; i++) {
                String name = runtime + "-" + i;
                String rawId = "raw-" + runtime + "-" + i;
                String conmonId = "conmon-" + runtime + "-" + i;
                raw.prepare(rawId, List.of("sleep", "300"));
                raw.prepare(conmonId, List.of("sleep", "300"));
                double[] t = new double[3];
                for (int k = 0; k < 3; k++) {
                    switch ((i + k) % 3) {
                        case 0 -> t[0] = Commands.timeMillis(() -> berthRun(engine, name, runtime));
                        case 1 -> t[1] = Commands.timeMillis(() -> raw.runDetached(rawId));
                        default -> t[2] = Commands.timeMillis(() -> raw.conmonCreateStart(conmonId));
                    }
                }
                engine.remove(name, true);
                raw.remove(rawId);
                raw.remove(conmonId);
                if (i >= WARMUP) {
                    berthVsRaw.add(t[0], t[1]);
                    conmonVsRaw.add(t[2], t[1]);
                    berthVsConmon.add(t[0], t[2]);
                }
            }
        }
        return List.of(berthVsRaw.row(floor), conmonVsRaw.row(null), berthVsConmon.row(null));
    }

    private static WorkloadSpec sleeper(String name, String runtime) {
        return WorkloadSpec.builder(name, IMAGE).runtime(runtime).command("sleep", "300").build();
    }

    private static void berthRun(Engine engine, String name, String runtime) {
        var status = engine.run(sleeper(name, runtime));
        if (status.state() != WorkloadState.RUNNING) {
            throw new IllegalStateException(name + " is " + status.state() + " after run");
        }
    }

    /** The bundle directory Berth made for workload {@code name}: {@code <dataDir>/oci/bundles/<name>-<generation>}. */
    private static Path bundleOf(Path dataDir, String name) throws IOException {
        try (Stream<Path> dirs = Files.list(dataDir.resolve("oci").resolve("bundles"))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(name + "-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no bundle for " + name + " under " + dataDir));
        }
    }

    private static void removeAll(Engine engine) {
        for (var w : engine.list(true)) {
            try {
                engine.remove(w.name(), true);
            } catch (RuntimeException e) {
                System.err.println("cleanup of " + w.name() + " failed: " + e.getMessage());
            }
        }
    }

    /** The CLI end to end (a fresh JVM per command), embedded and through a daemon, each paired with raw {@code runc run}. */
    private static List<String> cli(String launcher, Path base, int rounds) throws Exception {
        var out = new ArrayList<String>();
        Path data = base.resolve("cli");
        List<String> embedded = List.of(launcher, "--embedded", "--backend", "oci", "--data-dir", data.toString());
        try (Engine engine = Engine.builder().dataDir(data).provider(OciBackendProvider.oci()).defaultBackend("oci")
                .backendSettings("oci", Map.of()).build()) {
            TestImages.ensureImported(engine, "oci");
        }
        try {
            Commands.run(concat(embedded, "run", "-d", "--name", ANCHOR, "--runtime", "runc", IMAGE, "sleep", "3600"));
            Commands.run(concat(embedded, "run", "-d", "--name", "tpl", "--runtime", "runc", IMAGE, "sleep", "300"));
            OciRawRuntime raw;
            try {
                raw = new OciRawRuntime("runc", base.resolve("raw-cli"), bundleOf(data, "tpl"));
            } finally {
                Commands.run(concat(embedded, "rm", "-f", "tpl"));
            }
            try (raw) {
                var version = new ArrayList<Double>();
                var e = pairedCli(raw, concat(embedded, "run", "--rm", IMAGE, "true"), "emb", rounds, () -> version.add(
                        Commands.timeMillis(() -> Commands.run(List.of(launcher, "version")))));
                out.add(cliRow("(c) `berth --embedded run --rm " + IMAGE + " true` CLI end to end", e,
                        String.format("JVM start + CLI parse (`berth version`) %.1f ms", Sample.median(version))));
                out.add(daemonRow(launcher, base, raw, rounds));
            }
        } finally {
            Commands.run(concat(embedded, "rm", "-f", ANCHOR));
        }
        return out;
    }

    private static String daemonRow(String launcher, Path base, OciRawRuntime raw, int rounds) throws Exception {
        Path dir = base.resolve("daemon");
        Files.createDirectories(dir);
        try (var daemon = BenchDaemon.start(launcher, "oci", dir)) {
            var client = daemon.client;
            TestImages.ensureImported(client, "oci");
            client.run(WorkloadSpec.builder(ANCHOR, IMAGE).runtime("runc").command("sleep", "3600").build());
            try {
                var s = pairedCli(raw, List.of(launcher, "-H", "unix://" + daemon.socket, "run", "--rm", IMAGE, "true"), "dmn",
                        rounds, () -> { });
                return cliRow("(c) `berth -H unix://... run --rm " + IMAGE + " true` through `berth daemon`", s, "");
            } finally {
                client.remove(ANCHOR, true);
            }
        }
    }

    private static Sample pairedCli(OciRawRuntime raw, List<String> berth, String tag, int rounds, Runnable extra) throws IOException {
        var sample = new Sample("", "berth", "runc run");
        for (int i = 0; i < rounds + 2; i++) {
            String id = "cli-" + tag + "-" + i;
            raw.prepare(id, List.of("true"));
            double b;
            double p;
            if (i % 2 == 0) {
                b = Commands.timeMillis(() -> Commands.run(berth));
                p = Commands.timeMillis(() -> raw.runToExit(id));
            } else {
                p = Commands.timeMillis(() -> raw.runToExit(id));
                b = Commands.timeMillis(() -> Commands.run(berth));
            }
            raw.remove(id);
            extra.run();
            if (i >= 2) {
                sample.add(b, p);
            }
        }
        return sample;
    }

    private static String cliRow(String scenario, Sample s, String note) {
        String row = s.row(null);
        // Sample.row renders "| scenario | ... | ratio | verdict |": put the scenario and the note in.
        return "| " + scenario + " " + row.substring(3, row.length() - 2) + note + " |";
    }

    private static List<String> concat(List<String> head, String... tail) {
        var out = new ArrayList<>(head);
        out.addAll(List.of(tail));
        return out;
    }
}
