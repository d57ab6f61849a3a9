package dev.berth.oci.conmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.oci.transport.HostFiles;
import dev.berth.oci.transport.LocalTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a waiter on conmon's status directory sees: the exit once written, or the directory's removal. */
class StatusDirTest {
    @TempDir
    Path bundle;

    private StatusDir statusDir(Path dir) {
        return new StatusDir(dir.toString(), new HostFiles(new LocalTransport()), true);
    }

    @Test
    void aWaiterWakesWithTheExitConmonWrites() throws Exception {
        Path dir = Files.createDirectories(bundle.resolve("status"));
        var waiting = CompletableFuture.supplyAsync(() -> statusDir(dir).await(null), task -> Thread.ofVirtual().start(task));

        Files.writeString(dir.resolve("exit"), "42");

        assertThat(waiting.get(10, TimeUnit.SECONDS)).hasValueSatisfying(e -> assertThat(e.status().code()).isEqualTo(42));
    }

    @Test
    void aWaiterWhoseBundleIsRemovedWithoutAnExitEndsWithNotFound() throws Exception {
        Path dir = Files.createDirectories(bundle.resolve("b1").resolve("status"));
        var waiting = CompletableFuture.supplyAsync(() -> statusDir(dir).await(null), task -> Thread.ofVirtual().start(task));

        Files.delete(dir); // before or after the waiter looked: either way it must end
        Files.delete(dir.getParent());

        try {
            waiting.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(BerthException.class,
                    b -> assertThat(b.code()).isEqualTo(ErrorCode.NOT_FOUND));
            return;
        }
        throw new AssertionError("the wait ended without an error, though no exit was ever written");
    }

    @Test
    void aWaiterOutlivesTheStatusDirBeingClearedForTheNextRun() throws Exception {
        Path dir = Files.createDirectories(bundle.resolve("status"));
        var waiting = CompletableFuture.supplyAsync(() -> statusDir(dir).await(null), task -> Thread.ofVirtual().start(task));

        statusDir(dir).clear(); // what a restart does before the runtime creates the container again
        Files.writeString(dir.resolve("exit"), "7");

        assertThat(waiting.get(10, TimeUnit.SECONDS)).hasValueSatisfying(e -> assertThat(e.status().code()).isEqualTo(7));
    }

    @Test
    void aBoundedWaitWithoutAnExitIsEmpty() {
        Path dir = bundle.resolve("status");
        statusDir(dir).clear();

        assertThat(statusDir(dir).await(Duration.ofMillis(200))).isEmpty();
    }
}
