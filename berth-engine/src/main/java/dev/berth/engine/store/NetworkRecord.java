package dev.berth.engine.store;

import java.time.Instant;

/** A Berth network: recorded by the engine, realised by a backend when created or first joined. */
public record NetworkRecord(String name, String backend, boolean internal, String subnet, Instant createdAt) {
}
