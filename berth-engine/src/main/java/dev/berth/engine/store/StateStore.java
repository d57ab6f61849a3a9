package dev.berth.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable engine state. Every write is durable when the call returns. {@link #insert} is the
 * one place names are reserved: it fails when the name is taken, even by another process.
 */
public interface StateStore extends AutoCloseable {
    /** Reserves the name and stores the record; false when a record with that name exists. */
    boolean insert(WorkloadRecord record);

    /** Replaces the record of that name, or stores it when none exists. */
    void update(WorkloadRecord record);

    Optional<WorkloadRecord> get(String name);

    List<WorkloadRecord> list();

    void delete(String name);

    boolean insertNetwork(NetworkRecord record);

    Optional<NetworkRecord> getNetwork(String name);

    List<NetworkRecord> listNetworks();

    void deleteNetwork(String name);

    /**
     * A generation number for a new record: strictly increasing within one store instance and
     * time-based across processes. Since {@link #insert} reserves the name first, it only has to
     * tell successive workloads of one name apart, which creation times a clock tick apart do.
     */
    long nextGeneration();

    /** How many of the newest events a store's log keeps (give or take one trim's worth): older ones are dropped. */
    int EVENTS_KEPT = 10_000;

    /**
     * Appends to the event log and returns the new event's id, greater than every id before it.
     * The log keeps about the newest {@link #EVENTS_KEPT} events. The default, for a store
     * without a log, keeps nothing and returns 0.
     */
    default long appendEvent(Instant at, String workload, String type, String detail) {
        return 0;
    }

    /** Events with an id above {@code sinceId}, oldest first, at most {@code limit} of them. */
    default List<EventRecord> events(long sinceId, int limit) {
        return List.of();
    }

    @Override
    void close();
}
