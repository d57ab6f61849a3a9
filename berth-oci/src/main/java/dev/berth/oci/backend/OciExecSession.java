package dev.berth.oci.backend;

import dev.berth.api.model.ExecEvent;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.LogStream;
import dev.berth.net.LocalHostCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A streaming exec: {@code <runtime> exec} started through the transport, its stdout and stderr
 * read on virtual threads into one queue of events, and exactly one exit event after both ended.
 */
final class OciExecSession implements ExecSession {
    private static final int CHUNK = 8192;

    private final Process process;
    private final BlockingQueue<ExecEvent> events = new LinkedBlockingQueue<>();
    private final AtomicInteger open = new AtomicInteger(2);
    private boolean exited;

    OciExecSession(Process process, boolean stdin) {
        this.process = process;
        if (!stdin) {
            closeQuietly(process.getOutputStream());
        }
        pump(process.getInputStream(), LogStream.STDOUT);
        pump(process.getErrorStream(), LogStream.STDERR);
    }

    private void pump(InputStream in, LogStream stream) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[CHUNK];
            try (in) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (n > 0) {
                        events.add(new ExecEvent.Output(stream, Arrays.copyOf(buffer, n)));
                    }
                }
            } catch (IOException e) {
                // The session was closed, or the runtime died; the exit code tells which.
            }
            if (open.decrementAndGet() == 0) {
                events.add(new ExecEvent.Exited(exitCode()));
            }
        });
    }

    private int exitCode() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public ExecEvent next() {
        if (exited) {
            return null;
        }
        try {
            ExecEvent event = events.take();
            exited = event instanceof ExecEvent.Exited;
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            LocalHostCommands.killTree(process);
        }
        closeQuietly(process.getOutputStream());
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // Already closed by the process's end.
        }
    }
}
