package dev.berth.image.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Name → manifest digest, in {@code <root>/index.json}. Readers parse the file as it is (it is
 * always whole: writes go to a temp file that is renamed over it); writers serialise through a
 * lock in this JVM and an fcntl lock on {@code <root>/index.lock} across processes.
 */
final class NameIndex implements AutoCloseable {
    private final Path file;
    private final ReentrantLock writers = new ReentrantLock();
    private final FileChannel lockChannel;

    NameIndex(Path root) {
        this.file = root.resolve("index.json");
        try {
            lockChannel = FileChannel.open(root.resolve("index.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + root.resolve("index.lock"), e);
        }
    }

    /** All entries by name. */
    Map<String, IndexEntry> read() {
        try {
            var doc = ImageJson.mapper().readValue(Files.readAllBytes(file), Document.class);
            var out = new TreeMap<String, IndexEntry>();
            for (IndexEntry entry : doc.images() == null ? List.<IndexEntry>of() : doc.images()) {
                out.put(entry.name(), entry);
            }
            return out;
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image index " + file, e);
        }
    }

    Optional<IndexEntry> get(String name) {
        return Optional.ofNullable(read().get(name));
    }

    /** Applies {@code change} to the entries and writes the result atomically. */
    @SuppressWarnings("try") // the lock is held for the block
    void update(UnaryOperator<Map<String, IndexEntry>> change) {
        writers.lock();
        try (var lock = lockChannel.lock()) {
            var entries = change.apply(read());
            Path tmp = file.resolveSibling("index.json.tmp");
            Files.write(tmp, ImageJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Document(1, List.copyOf(entries.values()))));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image index " + file, e);
        } finally {
            writers.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lockChannel.close();
    }

    record Document(int schemaVersion, List<IndexEntry> images) {
    }
}
