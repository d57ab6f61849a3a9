package dev.berth.engine.store;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.WorkloadState;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * How records map to rows of {@link SqliteSchema}'s tables: every field a column, except the
 * spec, which stays JSON. Instants are ISO-8601 text with nine fraction digits, so that the text
 * order of two instants is their time order and {@code ORDER BY created_at} sorts by time.
 */
final class SqliteRows {
    static final String WORKLOAD_COLUMNS = "name, generation, backend, handle, state, exit_code, exit_signal,"
            + " oom_killed, created_at, started_at, finished_at, restart_count, message, spec_json, stopped_by_user";
    static final String INSERT_WORKLOAD = "INSERT INTO workloads (" + WORKLOAD_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING";
    /** The insert as schema step 1 knew it, for the file-store import of step 2. */
    static final String INSERT_WORKLOAD_V1 = "INSERT INTO workloads (" + WORKLOAD_COLUMNS.replace(", stopped_by_user", "") + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING";
    static final String UPSERT_WORKLOAD = "INSERT INTO workloads (" + WORKLOAD_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
            + " generation = excluded.generation, backend = excluded.backend, handle = excluded.handle,"
            + " state = excluded.state, exit_code = excluded.exit_code, exit_signal = excluded.exit_signal,"
            + " oom_killed = excluded.oom_killed, created_at = excluded.created_at,"
            + " started_at = excluded.started_at, finished_at = excluded.finished_at,"
            + " restart_count = excluded.restart_count, message = excluded.message, spec_json = excluded.spec_json,"
            + " stopped_by_user = excluded.stopped_by_user";
    static final String NETWORK_COLUMNS = "name, backend, internal, subnet, created_at";
    static final String INSERT_NETWORK = "INSERT INTO networks (" + NETWORK_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING";
    static final String EVENT_COLUMNS = "id, at, workload, type, detail";

    private static final DateTimeFormatter INSTANT = new DateTimeFormatterBuilder().appendInstant(9).toFormatter();

    private SqliteRows() {
    }

    static void bindWorkload(PreparedStatement sql, WorkloadRecord r, String specJson) throws SQLException {
        bindWorkloadV1(sql, r, specJson);
        sql.setInt(15, r.stoppedByUser() ? 1 : 0);
    }

    /** The columns of schema step 1, parameters 1 to 14. */
    static void bindWorkloadV1(PreparedStatement sql, WorkloadRecord r, String specJson) throws SQLException {
        ExitStatus exit = r.exit();
        sql.setString(1, r.name());
        sql.setLong(2, r.generation());
        sql.setString(3, r.backend());
        sql.setString(4, r.handle());
        sql.setString(5, r.state().name());
        sql.setObject(6, exit == null ? null : exit.code());
        sql.setString(7, exit == null ? null : exit.signal());
        sql.setObject(8, exit == null ? null : exit.oomKilled() ? 1 : 0);
        sql.setString(9, text(r.createdAt()));
        sql.setString(10, text(r.startedAt()));
        sql.setString(11, text(r.finishedAt()));
        sql.setInt(12, r.restartCount());
        sql.setString(13, r.message());
        sql.setString(14, specJson);
    }

    static WorkloadRecord readWorkload(ResultSet rs, ObjectReader specReader) throws SQLException, IOException {
        int code = rs.getInt(6);
        ExitStatus exit = rs.wasNull() ? null : new ExitStatus(code, rs.getString(7), rs.getInt(8) != 0);
        return new WorkloadRecord(rs.getString(1), specReader.readValue(rs.getString(14)), rs.getString(3),
                rs.getString(4), rs.getLong(2), WorkloadState.valueOf(rs.getString(5)), exit, instant(rs.getString(9)),
                instant(rs.getString(10)), instant(rs.getString(11)), rs.getInt(12), rs.getString(13), rs.getInt(15) != 0);
    }

    static void bindNetwork(PreparedStatement sql, NetworkRecord n) throws SQLException {
        sql.setString(1, n.name());
        sql.setString(2, n.backend());
        sql.setInt(3, n.internal() ? 1 : 0);
        sql.setString(4, n.subnet());
        sql.setString(5, text(n.createdAt()));
    }

    static NetworkRecord readNetwork(ResultSet rs) throws SQLException {
        return new NetworkRecord(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, rs.getString(4),
                instant(rs.getString(5)));
    }

    static EventRecord readEvent(ResultSet rs) throws SQLException {
        return new EventRecord(rs.getLong(1), instant(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5));
    }

    static String text(Instant at) {
        return at == null ? null : INSTANT.format(at);
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
