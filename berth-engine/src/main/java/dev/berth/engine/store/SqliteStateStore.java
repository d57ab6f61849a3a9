package dev.berth.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.WorkloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * Engine state in one SQLite database, {@code <dataDir>/berth.db}, shared by every process that
 * opens the same data dir. A name is reserved by its row's primary key; each write is one
 * statement, so one implicit transaction, and waits up to {@link #BUSY_TIMEOUT_MS} for a writer
 * in another process.
 *
 * <p>WAL with {@code synchronous=NORMAL}: a commit is appended to the WAL without an fsync, so
 * records survive any process crash at any instant, and only an OS crash or power loss can drop
 * the last transactions, which reconciliation against the backend's labelled resources repairs.
 * That is the file store's guarantee too; an fsync per commit would cost more than the engine's
 * whole overhead budget.
 *
 * <p>One connection per instance, guarded by a {@link ReentrantLock} rather than
 * {@code synchronized} so that waiting virtual threads do not pin their carriers.
 */
public final class SqliteStateStore implements StateStore {
    public static final String FILE_NAME = "berth.db";
    static final int BUSY_TIMEOUT_MS = 5000;
    static final int TRIM_EVERY = 100;

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final GenerationClock generations = new GenerationClock();
    private final ObjectWriter specWriter;
    private final ObjectReader specReader;
    private final Connection db;
    private final PreparedStatement insertWorkload;
    private final PreparedStatement upsertWorkload;
    private final PreparedStatement selectWorkload;
    private final PreparedStatement selectWorkloads;
    private final PreparedStatement deleteWorkload;
    private final PreparedStatement insertNetwork;
    private final PreparedStatement selectNetwork;
    private final PreparedStatement selectNetworks;
    private final PreparedStatement deleteNetwork;
    private final PreparedStatement insertEvent;
    private final PreparedStatement selectEvents;
    private final PreparedStatement trimEvents;
    private final int eventsKept;
    private boolean closed;

    public SqliteStateStore(Path dataDir) {
        this(dataDir, SqliteSchema.migrations(dataDir), EVENTS_KEPT);
    }

    SqliteStateStore(Path dataDir, List<SqliteSchema.Migration> migrations) {
        this(dataDir, migrations, EVENTS_KEPT);
    }

    /** {@code eventsKept}: the log keeps the newest that many events, plus up to {@link #TRIM_EVERY} - 1. */
    SqliteStateStore(Path dataDir, List<SqliteSchema.Migration> migrations, int eventsKept) {
        this.eventsKept = eventsKept;
        this.file = dataDir.resolve(FILE_NAME);
        var json = Json.mapper();
        this.specWriter = json.writerFor(WorkloadSpec.class);
        this.specReader = json.readerFor(WorkloadSpec.class);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create data dir " + dataDir + ": " + e.getMessage(), e);
        }
        this.db = open(file);
        try {
            SqliteSchema.migrate(db, migrations, file);
            insertWorkload = db.prepareStatement(SqliteRows.INSERT_WORKLOAD);
            upsertWorkload = db.prepareStatement(SqliteRows.UPSERT_WORKLOAD);
            String workloads = "SELECT " + SqliteRows.WORKLOAD_COLUMNS + " FROM workloads";
            selectWorkload = db.prepareStatement(workloads + " WHERE name = ?");
            selectWorkloads = db.prepareStatement(workloads + " ORDER BY created_at, name");
            deleteWorkload = db.prepareStatement("DELETE FROM workloads WHERE name = ?");
            insertNetwork = db.prepareStatement(SqliteRows.INSERT_NETWORK);
            String networks = "SELECT " + SqliteRows.NETWORK_COLUMNS + " FROM networks";
            selectNetwork = db.prepareStatement(networks + " WHERE name = ?");
            selectNetworks = db.prepareStatement(networks + " ORDER BY name");
            deleteNetwork = db.prepareStatement("DELETE FROM networks WHERE name = ?");
            insertEvent = db.prepareStatement(
                    "INSERT INTO events (at, workload, type, detail) VALUES (?, ?, ?, ?) RETURNING id");
            selectEvents = db.prepareStatement(
                    "SELECT " + SqliteRows.EVENT_COLUMNS + " FROM events WHERE id > ? ORDER BY id LIMIT ?");
            trimEvents = db.prepareStatement("DELETE FROM events WHERE id <= ?");
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            throw e instanceof SQLException sql ? storeError("open", sql) : (RuntimeException) e;
        }
    }

    private static Connection open(Path file) {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        Connection db;
        try {
            db = config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot open state store " + file + ": " + e.getMessage(), e);
        }
        // SQLite silently keeps its rollback journal where WAL is impossible (some network
        // filesystems); fail loudly instead of sharing the file without WAL's guarantees.
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery("PRAGMA journal_mode")) {
            String mode = rs.next() ? rs.getString(1) : "unknown";
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new BerthException(ErrorCode.INTERNAL, "state store " + file + " cannot use WAL (journal_mode is "
                        + mode + "); put the data dir on a local filesystem");
            }
            return db;
        } catch (SQLException | RuntimeException e) {
            try {
                db.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof SQLException sql ? new BerthException(ErrorCode.INTERNAL,
                    "cannot open state store " + file + ": " + sql.getMessage(), sql) : (RuntimeException) e;
        }
    }

    @Override
    public boolean insert(WorkloadRecord record) {
        String spec = specJson(record);
        return withDb("insert " + record.name(), () -> {
            SqliteRows.bindWorkload(insertWorkload, record, spec);
            return insertWorkload.executeUpdate() == 1;
        });
    }

    @Override
    public void update(WorkloadRecord record) {
        String spec = specJson(record);
        withDb("update " + record.name(), () -> {
            SqliteRows.bindWorkload(upsertWorkload, record, spec);
            return upsertWorkload.executeUpdate();
        });
    }

    @Override
    public Optional<WorkloadRecord> get(String name) {
        return withDb("get " + name, () -> {
            selectWorkload.setString(1, name);
            try (ResultSet rs = selectWorkload.executeQuery()) {
                return rs.next() ? Optional.of(SqliteRows.readWorkload(rs, specReader)) : Optional.<WorkloadRecord>empty();
            }
        });
    }

    @Override
    public List<WorkloadRecord> list() {
        return withDb("list", () -> {
            var out = new ArrayList<WorkloadRecord>();
            try (ResultSet rs = selectWorkloads.executeQuery()) {
                while (rs.next()) {
                    out.add(SqliteRows.readWorkload(rs, specReader));
                }
            }
            return out;
        });
    }

    @Override
    public void delete(String name) {
        withDb("delete " + name, () -> {
            deleteWorkload.setString(1, name);
            return deleteWorkload.executeUpdate();
        });
    }

    @Override
    public boolean insertNetwork(NetworkRecord record) {
        return withDb("insert network " + record.name(), () -> {
            SqliteRows.bindNetwork(insertNetwork, record);
            return insertNetwork.executeUpdate() == 1;
        });
    }

    @Override
    public Optional<NetworkRecord> getNetwork(String name) {
        return withDb("get network " + name, () -> {
            selectNetwork.setString(1, name);
            try (ResultSet rs = selectNetwork.executeQuery()) {
                return rs.next() ? Optional.of(SqliteRows.readNetwork(rs)) : Optional.<NetworkRecord>empty();
            }
        });
    }

    @Override
    public List<NetworkRecord> listNetworks() {
        return withDb("list networks", () -> {
            var out = new ArrayList<NetworkRecord>();
            try (ResultSet rs = selectNetworks.executeQuery()) {
                while (rs.next()) {
                    out.add(SqliteRows.readNetwork(rs));
                }
            }
            return out;
        });
    }

    @Override
    public void deleteNetwork(String name) {
        withDb("delete network " + name, () -> {
            deleteNetwork.setString(1, name);
            return deleteNetwork.executeUpdate();
        });
    }

    @Override
    public long nextGeneration() {
        return generations.next();
    }

    @Override
    public long appendEvent(Instant at, String workload, String type, String detail) {
        return withDb("append event", () -> {
            insertEvent.setString(1, SqliteRows.text(at));
            insertEvent.setString(2, workload);
            insertEvent.setString(3, type);
            insertEvent.setString(4, detail);
            long id;
            try (ResultSet rs = insertEvent.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            // Ids only grow (AUTOINCREMENT), so the newest events are the highest ids: a range
            // delete on the primary key, once every TRIM_EVERY appends.
            if (id % TRIM_EVERY == 0 && id > eventsKept) {
                trimEvents.setLong(1, id - eventsKept);
                trimEvents.executeUpdate();
            }
            return id;
        });
    }

    @Override
    public List<EventRecord> events(long sinceId, int limit) {
        return withDb("read events", () -> {
            selectEvents.setLong(1, sinceId);
            selectEvents.setInt(2, limit);
            var out = new ArrayList<EventRecord>();
            try (ResultSet rs = selectEvents.executeQuery()) {
                while (rs.next()) {
                    out.add(SqliteRows.readEvent(rs));
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly();
            }
        } finally {
            lock.unlock();
        }
    }

    private String specJson(WorkloadRecord record) {
        try {
            return specWriter.writeValueAsString(record.spec());
        } catch (JsonProcessingException e) {
            throw new BerthException(ErrorCode.INTERNAL, "state store: cannot encode the spec of " + record.name()
                    + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface DbCall<T> {
        T run() throws SQLException, IOException;
    }

    private <T> T withDb(String what, DbCall<T> call) {
        lock.lock();
        try {
            if (closed) {
                throw new BerthException(ErrorCode.INTERNAL, "state store " + file + " is closed (" + what + ")");
            }
            return call.run();
        } catch (SQLException e) {
            throw storeError(what, e);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "state store " + file + ": cannot " + what
                    + ": unreadable record: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private BerthException storeError(String what, SQLException e) {
        return new BerthException(ErrorCode.INTERNAL, "state store " + file + ": cannot " + what + ": " + e.getMessage(), e);
    }

    /** Closing the connection finalizes its statements; a failure there leaves nothing to retry. */
    private void closeQuietly() {
        try {
            db.close();
        } catch (SQLException e) {
            System.getLogger(SqliteStateStore.class.getName())
                    .log(System.Logger.Level.WARNING, "closing state store " + file + " failed", e);
        }
    }
}
