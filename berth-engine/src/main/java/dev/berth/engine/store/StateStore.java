package dev.berth.engine.store;

import java.util.List;
import java.util.Optional;

/**
 * Durable engine state. Every write is durable when the call returns. {@link #insert} is the
 * one place names are reserved: it fails when the name is taken, even by another process.
 */
public interface StateStore extends AutoCloseable {
    /** Reserves the name and stores the record; false when a record with that name exists. */
    boolean insert(WorkloadRecord record);

    void update(WorkloadRecord record);

    Optional<WorkloadRecord> get(String name);

    List<WorkloadRecord> list();

    void delete(String name);

    boolean insertNetwork(NetworkRecord record);

    Optional<NetworkRecord> getNetwork(String name);

    List<NetworkRecord> listNetworks();

    void deleteNetwork(String name);

    /** The next generation number for a workload name; never repeats for this store. */
    long nextGeneration();

    @Override
    void close();
}
