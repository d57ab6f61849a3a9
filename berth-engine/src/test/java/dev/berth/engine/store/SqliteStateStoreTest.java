package dev.berth.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.model.WorkloadState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SqliteStateStoreTest extends StateStoreContract {
    @Override
    StateStore create(Path dir) {
        return new SqliteStateStore(dir);
    }

    private Path dbFile() {
        return dataDir.resolve(SqliteStateStore.FILE_NAME);
    }

    private String pragma(String name) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dbFile());
             var sql = db.createStatement(); var rs = sql.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void databaseIsInWalMode() throws SQLException {
        open().insert(record("web", T0));

        assertThat(pragma("journal_mode")).isEqualTo("wal");
    }

    @Test
    void recordSurvivesClosingAndReopening() {
        var r = new WorkloadRecord("web-1", fullSpec(), "docker", "3f4e5d", 7, WorkloadState.RUNNING, null, T0,
                T0.plusMillis(1500), null, 1, null, false);
        try (var store = new SqliteStateStore(dataDir)) {
            store.insert(r);
            store.appendEvent(T0, "web-1", "started", null);
        }

        try (var store = new SqliteStateStore(dataDir)) {
            assertThat(store.get("web-1")).contains(r);
            assertThat(store.events(0, 10)).extracting(EventRecord::type).containsExactly("started");
        }
    }

    @Test
    void theEventLogKeepsTheNewestEventsAndDropsOlderOnes() {
        long last = 0;
        try (var store = new SqliteStateStore(dataDir, SqliteSchema.migrations(dataDir), 150)) {
            for (int i = 1; i <= 420; i++) {
                last = store.appendEvent(T0.plusMillis(i), "web", "started", "run " + i);
            }
            List<EventRecord> kept = store.events(0, 1000);

            assertThat(kept.getLast()).isEqualTo(new EventRecord(last, T0.plusMillis(420), "web", "started", "run 420"));
            assertThat(kept).as("the newest 150, plus at most one trim's worth").hasSizeBetween(150, 150 + SqliteStateStore.TRIM_EVERY - 1);
            assertThat(kept.getFirst().detail()).isEqualTo("run " + (420 - kept.size() + 1));
            assertThat(store.events(0, 10).getFirst().id()).as("a reader from the start gets the oldest kept").isGreaterThan(200);
        }
        try (var reopened = new SqliteStateStore(dataDir)) {
            assertThat(reopened.appendEvent(T0, "web", "removed", null)).as("ids keep growing after a trim").isEqualTo(last + 1);
        }
    }

    @Test
    void migrationsRunOnceAndANewerSchemaIsRefused() throws SQLException {
        var runs = new AtomicInteger();
        var steps = new ArrayList<>(SqliteSchema.migrations(dataDir));
        steps.add(db -> {
            runs.incrementAndGet();
            try (var sql = db.createStatement()) {
                sql.execute("ALTER TABLE workloads ADD COLUMN note TEXT");
            }
        });
        try (var current = new SqliteStateStore(dataDir)) {
            current.insert(record("web", T0));
        }

        new SqliteStateStore(dataDir, steps).close();
        new SqliteStateStore(dataDir, steps).close();

        assertThat(runs).hasValue(1);
        assertThat(pragma("user_version")).isEqualTo(String.valueOf(steps.size()));
        try (var upgraded = new SqliteStateStore(dataDir, steps)) {
            assertThat(upgraded.get("web")).contains(record("web", T0));
        }
        assertThatThrownBy(() -> new SqliteStateStore(dataDir))
                .isInstanceOf(BerthException.class)
                .hasMessage("state store " + dbFile() + " has schema version " + steps.size()
                        + " but this Berth knows up to " + (steps.size() - 1) + "; upgrade Berth or use another data dir");
    }

    @Test
    void processesOpeningAFreshDatabaseTogetherAllSucceed() throws Exception {
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(8)) {
            var done = new ArrayList<Future<Boolean>>();
            for (int i = 0; i < 8; i++) {
                String name = "w" + i;
                done.add(pool.submit(() -> {
                    start.await();
                    try (var store = new SqliteStateStore(dataDir)) {
                        return store.insert(record(name, T0));
                    }
                }));
            }
            start.countDown();
            for (var f : done) {
                assertThat(f.get()).isTrue();
            }
        }

        assertThat(open().list()).hasSize(8);
    }

    @Test
    void recordsLeftByAFileStoreAreImportedOnce() {
        var network = new NetworkRecord("subnet-a", "docker", true, "10.9.0.0/24", T0);
        var files = new FileStateStore(dataDir);
        files.insert(record("web", T0));
        files.insertNetwork(network);

        var store = open();
        assertThat(store.list()).containsExactly(record("web", T0));
        assertThat(store.listNetworks()).containsExactly(network);

        store.delete("web");
        assertThat(open().get("web")).isEmpty();
    }

    @Test
    void aUsersStopSurvivesTheFileStoreImport() {
        var files = new FileStateStore(dataDir);
        var stopped = record("web", T0).withState(WorkloadState.EXITED, null).withStoppedByUser(true);
        files.insert(stopped);

        assertThat(open().get("web")).contains(stopped);
    }

    @Test
    void aDatabaseOfTheFirstSchemaKeepsItsRecordsAndLearnsTheUsersStop() {
        Path file = dataDir.resolve(SqliteStateStore.FILE_NAME);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            SqliteSchema.migrate(db, SqliteSchema.migrations(dataDir).subList(0, 2), file);
            try (var insert = db.prepareStatement(SqliteRows.INSERT_WORKLOAD_V1)) {
                SqliteRows.bindWorkloadV1(insert, record("web", T0), "{\"name\":\"web\",\"image\":\"busybox\"}");
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }

        var store = open();
        assertThat(store.get("web")).hasValueSatisfying(r -> assertThat(r.stoppedByUser()).isFalse());
        store.update(store.get("web").orElseThrow().withStoppedByUser(true));
        assertThat(open().get("web")).hasValueSatisfying(r -> assertThat(r.stoppedByUser()).isTrue());
    }

    @Test
    void listsAThousandRecordsInCreationOrder() {
        // The daemon's 100 ms budget for listing 1,000 records is measured by bench/ (DaemonBench), not here.
        var store = open();
        for (int i = 999; i >= 0; i--) {
            store.insert(SqliteWriterProcess.recordFor(i));
        }
        var names = store.list().stream().map(r -> r.name()).toList();
        assertThat(names).isEqualTo(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "w" + i).toList());
    }

    @Test
    void everyRecordReportedCommittedSurvivesSigkillOfTheWriter() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dataDir.resolve("writer.err");
        var child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SqliteWriterProcess.class.getName(), dataDir.toString())
                .redirectError(stderr.toFile())
                .start();
        var committed = new ArrayList<String>();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (committed.size() < 300 && (line = out.readLine()) != null) {
                committed.add(line);
            }
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the pipe.
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // Names printed between the last read and the kill were committed too.
            while ((line = out.readLine()) != null) {
                committed.add(line);
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(committed).as("names the writer committed; its stderr: %s", Files.readString(stderr))
                .hasSizeGreaterThanOrEqualTo(300);

        var store = open();
        for (String name : committed) {
            int i = Integer.parseInt(name.substring(1));
            assertThat(store.get(name)).contains(SqliteWriterProcess.recordFor(i));
        }
        assertThat(pragma("integrity_check")).isEqualTo("ok");
        assertThat(store.insert(record("after-crash", Instant.now()))).isTrue();
    }

    @Test
    void aClosedStoreSaysSo() {
        var store = new SqliteStateStore(dataDir);
        store.close();
        store.close();

        assertThatThrownBy(() -> store.get("web")).isInstanceOf(BerthException.class).hasMessageContaining("is closed");
    }

    @Test
    void listReadsWhatAnotherProcessWrote() {
        var reader = open();
        var writer = open();
        writer.insert(record("web", T0));
        writer.appendEvent(T0, "web", "created", null);

        assertThat(reader.list()).extracting(WorkloadRecord::name).containsExactly("web");
        assertThat(reader.events(0, 10)).hasSize(1);
    }
}
