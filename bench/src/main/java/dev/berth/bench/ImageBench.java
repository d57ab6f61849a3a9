package dev.berth.bench;

import dev.berth.api.spec.PullPolicy;
import dev.berth.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Pull + unpack of a >= 100 MB, 5-layer image from the local registry (127.0.0.1:5000), in one
 * run with paired medians: Berth (store pull + flattened unpack) against `skopeo copy` + `umoci
 * unpack` and against `podman pull`; then Berth's warm re-pull. Usage: ImageBench [rounds]
 */
public final class ImageBench {
    private static final String REGISTRY = "127.0.0.1:5000";
    private static final String REF = REGISTRY + "/berth-bench/big:1";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("berth-image-bench");
        try {
            Path layout = BigImage.write(work.resolve("layout"), 5, 36, 42);
            long size = sizeOf(layout.resolve("blobs"));
            Commands.run(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "oci:" + layout + ":bench", "docker://" + REF));
            var berth = new ArrayList<Double>();
            var skopeoUmoci = new ArrayList<Double>();
            var podman = new ArrayList<Double>();
            for (int i = 0; i < rounds; i++) {
                Path round = Files.createDirectories(work.resolve("r" + i));
                berth.add(Commands.timeMillis(() -> berthPullUnpack(round.resolve("berth"))));
                Path skopeoDir = Files.createDirectories(round.resolve("skopeo"));
                skopeoUmoci.add(Commands.timeMillis(() -> skopeoUmoci(skopeoDir)));
                podmanRmi();
                podman.add(Commands.timeMillis(() -> Commands.run(List.of("podman", "pull", "-q", "--tls-verify=false", REF))));
                podmanRmi();
            }
            // Nothing is deleted between measured steps: this disk is mounted with `discard`, and a
            // large delete slows the file creation that follows it for seconds.
            Path warmData = work.resolve("warm");
            double warmIfNotPresent;
            double warmAlways;
            try (Engine engine = Engine.builder().dataDir(warmData).build()) {
                engine.pullImage(null, REF, PullPolicy.ALWAYS, null, p -> { });
                warmIfNotPresent = median(repeat(11, () -> engine.pullImage(null, REF, PullPolicy.IF_NOT_PRESENT, null, p -> { })));
                warmAlways = median(repeat(11, () -> engine.pullImage(null, REF, PullPolicy.ALWAYS, null, p -> { })));
            }
            Commands.run(List.of("sync"));
            double b = median(berth);
            double s = median(skopeoUmoci);
            double p = median(podman);
            double faster = Math.min(s, p);
            System.out.printf("Berth image benchmark: %s, 5 gzip layers, %.0f MB compressed, %d rounds%n", REF, size / 1e6, rounds);
            System.out.println("| scenario | median | vs faster peer |");
            System.out.println("| --- | --- | --- |");
            System.out.printf("| Berth pull + unpack (fresh store, flattened rootfs) | %.0f ms | %.2fx %s |%n", b, b / faster,
                    b <= faster ? "(meets: no slower than the faster peer)" : "(MISSES: slower than the faster peer)");
            System.out.printf("| skopeo copy + umoci unpack | %.0f ms | |%n", s);
            System.out.printf("| podman pull | %.0f ms | |%n", p);
            System.out.printf("| Berth warm re-pull, IfNotPresent | %.1f ms | floor 50 ms |%n", warmIfNotPresent);
            System.out.printf("| Berth warm re-pull, Always (manifest check) | %.1f ms | floor 50 ms |%n", warmAlways);
        } finally {
            delete(work);
        }
    }

    /** A fresh store each round, so every blob is transferred: what a cold pull costs. */
    private static void berthPullUnpack(Path dir) {
        try (Engine engine = Engine.builder().dataDir(dir.resolve("data")).build()) {
            engine.pullImage(null, REF, PullPolicy.ALWAYS, null, p -> { });
            engine.unpackImage(REF, dir.resolve("rootfs"));
        }
    }

    private static void skopeoUmoci(Path dir) {
        Commands.run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + REF, "oci:" + dir.resolve("oci") + ":bench"));
        Commands.run(List.of("umoci", "unpack", "--image", dir.resolve("oci") + ":bench", dir.resolve("bundle").toString()));
    }

    private static void podmanRmi() {
        try {
            Commands.run(List.of("podman", "rmi", "-f", REF));
        } catch (IllegalStateException e) {
            // Not present: nothing to remove.
        }
    }

    private static List<Double> repeat(int n, Runnable action) {
        var out = new ArrayList<Double>();
        for (int i = 0; i < n; i++) {
            out.add(Commands.timeMillis(action));
        }
        return out;
    }

    private static double median(List<Double> values) {
        return Sample.median(values);
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
