package dev.berth.engine.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One JSON file per record under the data dir, replaced atomically (write to a temp file, then
 * rename), so several CLI processes share state safely and a process crash at any instant leaves
 * either the old or the new record, never a torn one. Names are reserved by hard-linking a
 * fully written temp file into place, which the filesystem makes atomic across processes.
 *
 * <p>No fsync per write, on purpose: like SQLite in WAL mode with synchronous=NORMAL, records
 * survive any process crash (the page cache keeps them) and only an OS crash or power loss can
 * drop the last seconds of changes, which reconciliation against the backend's labelled
 * resources repairs. An fsync costs 5-15 ms here, more than the engine's whole overhead budget.
 */
public final class FileStateStore implements StateStore {
    private final Path workloads;
    private final Path networks;
    private final GenerationClock generations = new GenerationClock();
    private final InMemoryEvents events = new InMemoryEvents();
    private final ObjectMapper json = Json.mapper();

    public FileStateStore(Path dataDir) {
        this.workloads = dataDir.resolve("workloads");
        this.networks = dataDir.resolve("networks");
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
        return generations.next();
    }

    /** Kept in memory for this store's lifetime only: durable events need {@link SqliteStateStore}. */
    @Override
    public long appendEvent(Instant at, String workload, String type, String detail) {
        return events.append(at, workload, type, detail);
    }

    @Override
    public List<EventRecord> events(long sinceId, int limit) {
        return events.since(sinceId, limit);
    }

    @Override
    public void close() {
        // Nothing held open between calls.
    }

    private boolean create(Path file, Object value) {
        // Written aside, then hard-linked into place: link(2) fails when the name exists, as
        // CREATE_NEW does, but no reader in another process ever sees the file still empty.
        Path tmp = tempFor(file);
        try {
            Files.write(tmp, json.writeValueAsBytes(value));
            Files.createLink(file, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
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

    /** A hidden sibling unique to this process and thread; readAll's glob skips it. */
    private static Path tempFor(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().threadId());
    }

    private void replace(Path file, Object value) {
        Path tmp = tempFor(file);
        try {
            Files.write(tmp, json.writeValueAsBytes(value), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
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
