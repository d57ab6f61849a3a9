package dev.berth.bench;

import dev.berth.server.client.DaemonAddress;
import dev.berth.server.client.HttpBerthClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A `berth daemon` started as users start it (through the launcher), on a socket in {@code dir},
 * with a client that answers once it is up; close() stops it (SIGTERM) and waits.
 */
final class BenchDaemon implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(60);

    final Process process;
    final Path socket;
    final HttpBerthClient client;

    private BenchDaemon(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
        this.client = new HttpBerthClient(DaemonAddress.unix(socket), null);
    }

    static BenchDaemon start(String launcher, String backend, Path dir) throws IOException, InterruptedException {
        Path socket = dir.resolve("berth.sock");
        Process process = new ProcessBuilder(launcher, "--backend", backend, "daemon", "--socket", socket.toString(),
                "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        var daemon = new BenchDaemon(process, socket);
        try {
            daemon.awaitUp();
        } catch (RuntimeException | InterruptedException e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    private void awaitUp() throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("daemon exited with " + process.exitValue());
            }
            try {
                client.ping();
                return;
            } catch (RuntimeException e) {
                Thread.sleep(50); // startup of another process: nothing to wait on but its socket
            }
        }
        throw new IllegalStateException("daemon did not answer within " + START.toSeconds() + " s");
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        process.destroy();
        process.waitFor();
    }
}
