package dev.berth.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerIdTest {
    @TempDir
    Path tmp;

    @Test
    void sameDirGivesTheSameIdEveryTime() {
        Path dir = tmp.resolve("data");

        String first = OwnerId.loadOrCreate(dir);
        String second = OwnerId.loadOrCreate(dir);

        assertThat(first).matches("berth-[0-9a-f]{16}");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void twoDirsGetDifferentIds() {
        assertThat(OwnerId.loadOrCreate(tmp.resolve("a"))).isNotEqualTo(OwnerId.loadOrCreate(tmp.resolve("b")));
    }

    @Test
    void existingIdIsReadBack() throws IOException {
        Files.writeString(tmp.resolve("owner-id"), "berth-0123456789abcdef\n");

        assertThat(OwnerId.loadOrCreate(tmp)).isEqualTo("berth-0123456789abcdef");
    }

    @Test
    void corruptedIdFileIsRejectedSayingWhatToDo() throws IOException {
        Path file = tmp.resolve("owner-id");
        Files.writeString(file, "Not An Id!\u0000\n");

        BerthException e = catchThrowableOfType(BerthException.class, () -> OwnerId.loadOrCreate(tmp));

        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.getMessage()).contains(file.toString(), "invalid owner id", "restore it or remove it");
    }

    @Test
    void binaryGarbageInTheIdFileGetsTheSameClearMessage() throws IOException {
        Files.write(tmp.resolve("owner-id"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});

        assertThat(catchThrowableOfType(BerthException.class, () -> OwnerId.loadOrCreate(tmp)).getMessage())
                .contains("invalid owner id", "restore it or remove it");
    }

    @Test
    void emptyIdFileIsRejected() throws IOException {
        Files.writeString(tmp.resolve("owner-id"), "");

        assertThat(catchThrowableOfType(BerthException.class, () -> OwnerId.loadOrCreate(tmp)).getMessage())
                .contains("invalid owner id");
    }

    @Test
    void concurrentFirstUseAgreesOnOneId() throws Exception {
        for (int round = 0; round < 50; round++) {
            Path dir = tmp.resolve("race-" + round);
            var start = new CountDownLatch(1);
            try (var pool = Executors.newFixedThreadPool(8)) {
                var ids = new ArrayList<Future<String>>();
                for (int i = 0; i < 8; i++) {
                    ids.add(pool.submit(() -> {
                        start.await();
                        return OwnerId.loadOrCreate(dir);
                    }));
                }
                start.countDown();
                var distinct = new HashSet<String>();
                for (var id : ids) {
                    distinct.add(id.get());
                }
                assertThat(distinct).as("round %d", round).hasSize(1);
            }
        }
    }
}
