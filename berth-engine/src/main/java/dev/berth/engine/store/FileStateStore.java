package dev.berth.engine.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One JSON file per record under the data dir, replaced atomically (write, fsync, rename), so
 * several CLI processes share state safely and a crash never leaves a half-written record.
 * Names are reserved with CREATE_NEW, which the filesystem makes atomic across processes.
 * The daemon issue replaces this with SQLite behind the same interface.
 */
public final class FileStateStore implements StateStore {
    private final Path workloads;
    private final Path networks;
    private final Path generation;
    private final ObjectMapper json = Json.mapper();

    public FileStateStore(Path dataDir) {
        this.workloads = dataDir.resolve("workloads");
        this.networks = dataDir.resolve("networks");
        this.generation = dataDir.resolve("generation");
        try {
            Files.createDirectories(workloads);
            Files.createDirectories(networks);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create data dir " + dataDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean insert(WorkloadRecord record) {
        return create(workloads.resolve(record.name() + ".json"), record);
    }

    @Override
    public void update(WorkloadRecord record) {
        replace(workloads.resolve(record.name() + ".json"), record);
    }

    @Override
    public Optional<WorkloadRecord> get(String name) {
        return read(workloads.resolve(name + ".json"), WorkloadRecord.class);
    }

    @Override
    public List<WorkloadRecord> list() {
        return readAll(workloads, WorkloadRecord.class).stream()
                .sorted(Comparator.comparing(WorkloadRecord::createdAt).thenComparing(WorkloadRecord::name)).toList();
    }

    @Override
    public void delete(String name) {
        delete(workloads.resolve(name + ".json"));
    }

    @Override
    public boolean insertNetwork(NetworkRecord record) {
        return create(networks.resolve(record.name() + ".json"), record);
    }

    @Override
    public Optional<NetworkRecord> getNetwork(String name) {
        return read(networks.resolve(name + ".json"), NetworkRecord.class);
    }

    @Override
    public List<NetworkRecord> listNetworks() {
        return readAll(networks, NetworkRecord.class).stream().sorted(Comparator.comparing(NetworkRecord::name)).toList();
    }

    @Override
    public void deleteNetwork(String name) {
        delete(networks.resolve(name + ".json"));
    }

    @Override
    public long nextGeneration() {
        // A lock on the counter file serialises concurrent processes; the counter only grows.
        try (var ch = FileChannel.open(generation, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); var lock = ch.lock()) {
            var buf = java.nio.ByteBuffer.allocate(32);
            ch.read(buf, 0);
            String text = new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.US_ASCII).trim();
            long next = (text.isEmpty() ? 0 : Long.parseLong(text)) + 1;
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(Long.toString(next).getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            return next;
        } catch (IOException | NumberFormatException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot update " + generation + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // Nothing held open between calls.
    }

    private boolean create(Path file, Object value) {
        try {
            Files.write(file, json.writeValueAsBytes(value), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw storeError(file, e);
        }
    }

    private void replace(Path file, Object value) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().threadId());
        try {
            Files.write(tmp, json.writeValueAsBytes(value), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw storeError(file, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Best effort: a stray temp file is harmless and skipped by readAll.
            }
        }
    }

    private <T> Optional<T> read(Path file, Class<T> type) {
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw storeError(file, e);
        }
    }

    private <T> List<T> readAll(Path dir, Class<T> type) {
        var out = new ArrayList<T>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path f : files) {
                read(f, type).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw storeError(dir, e);
        }
        return out;
    }

    private void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw storeError(file, e);
        }
    }

    private static BerthException storeError(Path file, IOException e) {
        return new BerthException(ErrorCode.INTERNAL, "state store: cannot access " + file + ": " + e.getMessage(), e);
    }
}
