package dev.berth.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database's schema as an ordered list of migrations: step {@code i} takes a database from
 * {@code PRAGMA user_version} i to i+1. Steps are only ever appended, never edited, once released.
 */
final class SqliteSchema {
    /** One step of the schema's history, run inside the migrating transaction. */
    @FunctionalInterface
    interface Migration {
        void apply(Connection db) throws SQLException;
    }

    private SqliteSchema() {
    }

    static List<Migration> migrations(Path dataDir) {
        return List.of(SqliteSchema::createTables, db -> importFileStore(db, dataDir), db -> addStoppedByUser(db, dataDir));
    }

    /**
     * Brings the database up to {@code migrations.size()} in one write transaction, so that several
     * processes opening a fresh database at once migrate it exactly once between them.
     */
    static void migrate(Connection db, List<Migration> migrations, Path file) throws SQLException {
        int known = migrations.size();
        int version = userVersion(db);
        if (version == known) {
            return;
        }
        refuseNewer(version, known, file);
        try (Statement sql = db.createStatement()) {
            sql.execute("BEGIN IMMEDIATE");
            try {
                // Re-read under the write lock: another process may have migrated meanwhile.
                version = userVersion(db);
                refuseNewer(version, known, file);
                for (int step = version; step < known; step++) {
                    migrations.get(step).apply(db);
                }
                sql.execute("PRAGMA user_version = " + known);
                sql.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                sql.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private static int userVersion(Connection db) throws SQLException {
        try (Statement sql = db.createStatement(); var rs = sql.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void refuseNewer(int version, int known, Path file) {
        if (version > known) {
            throw new BerthException(ErrorCode.INTERNAL, "state store " + file + " has schema version " + version
                    + " but this Berth knows up to " + known + "; upgrade Berth or use another data dir");
        }
    }

    private static void createTables(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            // Instants are text that sorts in time order; see SqliteRows.
            sql.execute("""
                    CREATE TABLE workloads (
                        name TEXT PRIMARY KEY,
                        generation INTEGER NOT NULL,
                        backend TEXT NOT NULL,
                        handle TEXT,
                        state TEXT NOT NULL,
                        exit_code INTEGER,
                        exit_signal TEXT,
                        oom_killed INTEGER,
                        created_at TEXT NOT NULL,
                        started_at TEXT,
                        finished_at TEXT,
                        restart_count INTEGER NOT NULL,
                        message TEXT,
                        spec_json TEXT NOT NULL
                    ) STRICT""");
            sql.execute("CREATE INDEX workloads_by_creation ON workloads (created_at, name)");
            sql.execute("""
                    CREATE TABLE networks (
                        name TEXT PRIMARY KEY,
                        backend TEXT NOT NULL,
                        internal INTEGER NOT NULL,
                        subnet TEXT,
                        created_at TEXT NOT NULL
                    ) STRICT""");
            sql.execute("""
                    CREATE TABLE events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        workload TEXT,
                        type TEXT NOT NULL,
                        detail TEXT
                    ) STRICT""");
        }
    }

    /** The user's stop, which restart policies must not undo (false for records from before it existed). */
    private static void addStoppedByUser(Connection db, Path dataDir) throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.execute("ALTER TABLE workloads ADD COLUMN stopped_by_user INTEGER NOT NULL DEFAULT 0");
        }
        if (!Files.isDirectory(dataDir.resolve("workloads"))) {
            return;
        }
        // File records imported by step 2 (which predates the column) keep their user's stop.
        try (var mark = db.prepareStatement("UPDATE workloads SET stopped_by_user = 1 WHERE name = ? AND generation = ?")) {
            for (WorkloadRecord r : new FileStateStore(dataDir).list()) {
                if (r.stoppedByUser()) {
                    mark.setString(1, r.name());
                    mark.setLong(2, r.generation());
                    mark.executeUpdate();
                }
            }
        }
    }

    /** Carries over the records a {@link FileStateStore} left in the same data dir, if any. */
    private static void importFileStore(Connection db, Path dataDir) throws SQLException {
        if (!Files.isDirectory(dataDir.resolve("workloads")) && !Files.isDirectory(dataDir.resolve("networks"))) {
            return;
        }
        var files = new FileStateStore(dataDir);
        var json = Json.mapper();
        try (var insert = db.prepareStatement(SqliteRows.INSERT_WORKLOAD_V1)) {
            for (WorkloadRecord r : files.list()) {
                SqliteRows.bindWorkloadV1(insert, r, json.writeValueAsString(r.spec()));
                insert.executeUpdate();
            }
        } catch (JsonProcessingException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot import " + dataDir + ": " + e.getMessage(), e);
        }
        try (var insert = db.prepareStatement(SqliteRows.INSERT_NETWORK)) {
            for (NetworkRecord n : files.listNetworks()) {
                SqliteRows.bindNetwork(insert, n);
                insert.executeUpdate();
            }
        }
    }
}
