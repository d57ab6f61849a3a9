package dev.berth.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FileStateStoreTest extends StateStoreContract {
    @Override
    StateStore create(Path dir) {
        return new FileStateStore(dir);
    }

    @Test
    void updateLeavesNoTemporaryFiles() throws IOException {
        var store = open();
        WorkloadRecord created = record("web", T0);
        store.insert(created);

        store.update(created.withHandle("c0ffee").started(T0.plusSeconds(2)));

        try (Stream<Path> files = Files.list(dataDir.resolve("workloads"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("web.json");
        }
    }

    @Test
    void recordsAreStoredAsReadableJson() throws IOException {
        open().insert(record("web", T0));

        String json = Files.readString(dataDir.resolve("workloads/web.json"));

        assertThat(json).contains("\"createdAt\":\"2025-03-01T10:15:30.123456789Z\"", "\"state\":\"CREATED\"");
    }
}
