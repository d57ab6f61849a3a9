package dev.berth.oci.transport;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.HostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * File-system chores on the transport's host beyond {@link CommandTransport}'s read/write: existence,
 * modification time, directories, deletion. Local paths use the JVM's file API; other hosts run
 * coreutils through the transport (argv only, paths never spliced into a shell string).
 */
public final class HostFiles {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final CommandTransport transport;

    public HostFiles(CommandTransport transport) {
        this.transport = transport;
    }

    public boolean exists(String path) {
        if (transport.isLocal()) {
            return Files.exists(Path.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
        return transport.run(List.of("test", "-e", path), null, TIMEOUT).ok();
    }

    /** The file's contents, or empty when it does not exist. */
    public Optional<byte[]> read(String path) {
        try {
            return Optional.of(transport.readFile(path));
        } catch (BerthException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Optional<Instant> modified(String path) {
        if (transport.isLocal()) {
            try {
                return Optional.of(Files.getLastModifiedTime(Path.of(path)).toInstant());
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot stat " + path + ": " + e, e);
            }
        }
        HostCommands.Result r = transport.run(List.of("stat", "-c", "%.9Y", path), null, TIMEOUT);
        if (!r.ok()) {
            return Optional.empty();
        }
        String[] parts = r.stdout().strip().split("\\.");
        long nanos = parts.length > 1 ? Long.parseLong((parts[1] + "000000000").substring(0, 9)) : 0;
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(parts[0]), nanos));
    }

    /**
     * Replaces the content of {@code path} keeping its inode: a file bind-mounted into a running
     * container (its /etc/hosts) shows the new content only when written in place, not renamed over.
     */
    public void overwriteInPlace(String path, byte[] content) {
        if (transport.isLocal()) {
            try {
                Files.write(Path.of(path), content);
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot write " + path + ": " + e, e);
            }
            return;
        }
        HostCommands.Result r = transport.run(List.of("tee", "--", path), content, TIMEOUT);
        if (!r.ok()) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot write " + path + " on " + transport.describe() + ": " + r.stderr().strip());
        }
    }

    public void mkdirs(String path) {
        if (transport.isLocal()) {
            try {
                Files.createDirectories(Path.of(path));
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot create " + path + ": " + e, e);
            }
            return;
        }
        require(List.of("mkdir", "-p", "--", path), "create " + path);
    }

    /** Deletes the file or tree at {@code path} without following symlinks; absent is fine. */
    public void deleteTree(String path) {
        if (transport.isLocal()) {
            Path root = Path.of(path);
            if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (var walk = Files.walk(root)) {
                var paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
                for (Path p : paths) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot delete " + path + ": " + e, e);
            }
            return;
        }
        require(List.of("rm", "-rf", "--one-file-system", "--", path), "delete " + path);
    }

    /** The names in directory {@code path}; empty when it does not exist. */
    public List<String> list(String path) {
        if (transport.isLocal()) {
            Path dir = Path.of(path);
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (var entries = Files.list(dir)) {
                return entries.map(p -> p.getFileName().toString()).sorted().toList();
            } catch (IOException e) {
                throw new BerthException(ErrorCode.INTERNAL, "cannot list " + path + ": " + e, e);
            }
        }
        HostCommands.Result r = transport.run(List.of("ls", "-1A", "--", path), null, TIMEOUT);
        return r.ok() ? r.stdout().lines().filter(l -> !l.isBlank()).sorted().toList() : List.of();
    }

    private void require(List<String> argv, String what) {
        HostCommands.Result r = transport.run(argv, null, TIMEOUT);
        if (!r.ok()) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot " + what + " on " + transport.describe() + ": " + r.stderr().strip());
        }
    }
}
