package dev.berth.net;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
            var out = drain(process.getInputStream());
            var err = drain(process.getErrorStream());
            Thread feeder = Thread.ofVirtual().start(() -> feed(process.getOutputStream(), stdin));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw new BerthException(ErrorCode.TIMEOUT, argv.getFirst() + " did not finish within " + timeout.toSeconds() + " s");
            }
            feeder.join();
            return new Result(process.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted while running " + argv.getFirst(), e);
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

    private static void feed(OutputStream stdin, byte[] data) {
        try (stdin) {
            if (data != null) {
                stdin.write(data);
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

        String text() throws InterruptedException {
            thread.join();
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
