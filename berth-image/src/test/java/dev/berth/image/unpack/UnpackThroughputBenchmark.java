package dev.berth.image.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: unpacks a real layer a few times and prints MB/s, to compare with {@code tar -xzf}.
 * {@code ./mvnw -o -pl berth-image test -Dtest=UnpackThroughputBenchmark -Dberth.bench.layer=/path/layer.tar.gz}
 * (optionally {@code -Dberth.bench.dir=/dev/shm/x} to unpack on tmpfs and see CPU cost, not the disk's).
 */
@EnabledIfSystemProperty(named = "berth.bench.layer", matches = ".+")
class UnpackThroughputBenchmark {
    @TempDir
    Path tmp;

    @Test
    void unpackThroughput() throws IOException {
        Path layer = Path.of(System.getProperty("berth.bench.layer"));
        int runs = Integer.getInteger("berth.bench.runs", 3);
        double compressedMb = Files.size(layer) / 1e6;
        var unpacker = new LayerUnpacker();
        Path dir = System.getProperty("berth.bench.dir") == null ? tmp : Files.createDirectories(Path.of(System.getProperty("berth.bench.dir")));
        for (int run = 0; run <= runs; run++) {
            Path target = dir.resolve("run" + run);
            Files.createDirectory(target);
            long start = System.nanoTime();
            UnpackResult result;
            try (InputStream in = Files.newInputStream(layer)) {
                result = unpacker.applyLayer(target, in, null, layer.getFileName().toString());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s %d: %d entries, %.0f MB compressed / %.0f MB content in %.2f s = %.0f MB/s compressed, %.0f MB/s content%n",
                    run == 0 ? "warm-up" : "run", run, result.entries(), compressedMb, result.bytes() / 1e6, seconds,
                    compressedMb / seconds, result.bytes() / 1e6 / seconds);
            FileTrees.delete(target);
        }
    }
}
