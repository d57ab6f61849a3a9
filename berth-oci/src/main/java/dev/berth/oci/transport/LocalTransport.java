package dev.berth.oci.transport;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.unpack.LayerUnpacker;
import dev.berth.net.LocalHostCommands;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * This machine: programs through berth-net's {@link LocalHostCommands} (the one process helper),
 * files through the JVM's own file API. Tar streams are extracted with berth-image's layer
 * unpacker, which resolves every entry inside the target directory, so no entry or symlink in a
 * workload's archive can write outside it.
 */
public final class LocalTransport implements CommandTransport {
    private final LocalHostCommands commands = new LocalHostCommands();

    @Override
    public String describe() {
        return "local";
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public Result run(List<String> argv, byte[] stdin, Duration timeout) {
        return commands.run(argv, stdin, timeout);
    }

    @Override
    public Process start(List<String> argv) {
        return commands.start(argv);
    }

    @Override
    public void writeFile(String path, byte[] content, int mode) {
        Path target = Path.of(path);
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Files.write(temp, content);
                Files.setAttribute(temp, "unix:mode", mode);
                move(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot write " + path + ": " + e, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public byte[] readFile(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (NoSuchFileException e) {
            throw BerthException.notFound("file " + path);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read " + path + ": " + e, e);
        }
    }

    @Override
    public byte[] readFileFrom(String path, long offset) {
        try (var file = new RandomAccessFile(path, "r")) {
            long length = file.length();
            if (length <= offset) {
                return new byte[0];
            }
            byte[] out = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - offset)];
            file.seek(offset);
            file.readFully(out);
            return out;
        } catch (FileNotFoundException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read " + path + ": " + e, e);
        }
    }

    @Override
    public void extractTar(String dir, InputStream tar) {
        Path target = Path.of(dir);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create " + dir + ": " + e, e);
        }
        new LayerUnpacker().applyLayer(target, tar, null, "archive for " + dir);
    }

    @Override
    public void close() {
        // Nothing held: every program run here is waited for or handed to the caller.
    }
}
