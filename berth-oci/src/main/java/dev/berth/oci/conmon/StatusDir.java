package dev.berth.oci.conmon;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.ExitStatus;
import dev.berth.oci.transport.HostFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The directory conmon writes a container's fate into ({@code --persist-dir} and {@code --exit-dir}):
 * {@code exit} holds the exit status (128+N for a death by signal N), {@code oom} exists when the
 * OOM killer struck. Both live on disk, so a workload that ended while no Berth process ran still
 * reports its real code.
 */
public final class StatusDir {
    static final String EXIT = "exit";
    static final String OOM = "oom";

    private final String dir;
    private final HostFiles files;
    private final boolean local;

    public StatusDir(String dir, HostFiles files, boolean local) {
        this.dir = dir;
        this.files = files;
        this.local = local;
    }

    public String path() {
        return dir;
    }

    public Optional<ExitRecord> exit() {
        Optional<byte[]> content = files.read(dir + "/" + EXIT);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        String text = new String(content.get(), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return Optional.empty(); // being written
        }
        int code;
        try {
            code = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "conmon's exit file in " + dir + " holds '" + text + "'");
        }
        boolean oom = code == 137 && files.exists(dir + "/" + OOM);
        Instant finished = files.modified(dir + "/" + EXIT).orElse(Instant.now());
        return Optional.of(new ExitRecord(ExitStatus.ofCode(code, oom), finished));
    }

    /**
     * Blocks until conmon has written the exit file; empty when {@code timeout} (null = forever)
     * passes first; not found when the bundle around it disappears meanwhile (the workload was removed).
     */
    public Optional<ExitRecord> await(Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        try (DirWatch watch = DirWatch.open(dir, local)) {
            while (true) {
                Optional<ExitRecord> exit = exit();
                if (exit.isPresent()) {
                    return exit;
                }
                if (!files.exists(bundleDir())) { // the status dir itself is briefly gone while a run is recreated
                    throw new BerthException(ErrorCode.NOT_FOUND, "workload removed while waiting for its exit (" + dir + ")");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                // A bound on each wait covers an event missed between the look and the watch.
                watch.await(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted while waiting for the exit of " + dir, e);
        }
    }

    private String bundleDir() {
        int slash = dir.lastIndexOf('/');
        return slash > 0 ? dir.substring(0, slash) : dir;
    }

    /** Forgets a previous run's fate before the container runs again. */
    public void clear() {
        files.deleteTree(dir);
        files.mkdirs(dir);
    }
}
