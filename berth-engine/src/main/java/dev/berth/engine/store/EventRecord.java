package dev.berth.engine.store;

import java.time.Instant;

/** One entry of the engine's event log; ids increase in the order events were appended. */
public record EventRecord(long id, Instant at, String workload, String type, String detail) {
}
