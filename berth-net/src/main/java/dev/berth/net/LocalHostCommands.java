package dev.berth.net;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one helper that starts local programs: argv only (no shell), stdin fed and stdout/stderr
 * drained on virtual threads, bounded by a timeout after which the process and its descendants
 * are killed.
 */
public final class LocalHostCommands implements HostCommands {
    @Override
    public Result run(List<String> argv, byte[] stdin, Duration timeout) {
        Process process = start(argv);
        try {
            Completed done = complete(process, stdin == null ? null : new ByteArrayInputStream(stdin), timeout)
                    .orElseThrow(() -> new BerthException(ErrorCode.TIMEOUT,
                            argv.getFirst() + " did not finish within " + timeout.toSeconds() + " s"));
            return new Result(done.exitCode(), done.stdoutText(), done.stderrText());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted while running " + argv.getFirst(), e);
        }
    }

    /** What a finished process printed, as bytes. */
    public record Completed(int exitCode, byte[] stdout, byte[] stderr) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    /**
     * Feeds {@code stdin} (null = none) to a started process while draining its stdout and stderr,
     * and waits for it: empty when {@code timeout} passed (the process tree is then killed). An
     * interrupt kills the tree too. Shared by this class and the remote transports.
     */
    public static Optional<Completed> complete(Process process, InputStream stdin, Duration timeout) throws InterruptedException {
        try {
            var out = drain(process.getInputStream());
            var err = drain(process.getErrorStream());
            Thread feeder = Thread.ofVirtual().start(() -> feed(process.getOutputStream(), stdin));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                return Optional.empty();
            }
            feeder.join();
            return Optional.of(new Completed(process.exitValue(), out.bytes(), err.bytes()));
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
    }

    /** Starts {@code argv} with piped stdio; a missing program is backend_unavailable naming it. */
    public Process start(List<String> argv) {
        try {
            return new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "cannot run " + argv.getFirst() + ": " + e.getMessage(), e);
        }
    }

    /** Kills the process and everything it started. */
    public static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void feed(OutputStream stdin, InputStream data) {
        try (stdin) {
            if (data != null) {
                data.transferTo(stdin);
            }
        } catch (IOException e) {
            // The program exited without reading all of its input; its exit code tells the caller.
        }
    }

    private static Sink drain(InputStream in) {
        var sink = new Sink();
        sink.thread = Thread.ofVirtual().start(() -> {
            try (in) {
                in.transferTo(sink.bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return sink;
    }

    private static final class Sink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Thread thread;

        byte[] bytes() throws InterruptedException {
            thread.join();
            return bytes.toByteArray();
        }
    }
}
