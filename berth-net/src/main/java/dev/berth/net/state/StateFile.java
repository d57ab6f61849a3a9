package dev.berth.net.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The fabric's state in one JSON file ({@code state.json}), replaced by write-then-rename so a
 * reader never sees a torn file. Changes happen inside {@link #locked}, which holds an exclusive
 * {@code flock} on {@code state.lock} so a CLI process and the daemon sharing the data dir take
 * turns; the lock also covers the host actions that follow each change, so the host converges
 * on the newest state. One instance per data dir per JVM: the JVM refuses a second lock on the
 * same file from the same process.
 */
public final class StateFile {
    private final Path file;
    private final Path lockFile;
    private final ReentrantLock inProcess = new ReentrantLock();
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public StateFile(Path dir) {
        this.file = dir.resolve("state.json");
        this.lockFile = dir.resolve("state.lock");
    }

    /** The last saved state; no lock needed, renames are atomic. */
    public FabricState read() {
        try {
            return json.readValue(Files.readAllBytes(file), FabricState.class);
        } catch (NoSuchFileException e) {
            return FabricState.EMPTY;
        } catch (IOException e) {
            throw error("read", e);
        }
    }

    public void write(FabricState state) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw error("write", e);
        }
    }

    /** Runs {@code action} holding the data dir's exclusive lock; it reads and writes through this file. */
    public <T> T locked(Function<StateFile, T> action) {
        inProcess.lock();
        try (var channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lock(channel)) {
            return action.apply(this);
        } catch (IOException e) {
            throw error("lock", e);
        } finally {
            inProcess.unlock();
        }
    }

    private FileLock lock(FileChannel channel) throws IOException {
        try {
            return channel.lock();
        } catch (OverlappingFileLockException e) {
            throw new BerthException(ErrorCode.CONFLICT,
                    "network state " + lockFile + " is already locked by another BridgeFabric in this process; open one per data dir");
        }
    }

    private BerthException error(String what, IOException e) {
        return new BerthException(ErrorCode.INTERNAL, "network state: cannot " + what + " " + file + ": " + e.getMessage(), e);
    }
}
