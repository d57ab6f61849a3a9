package dev.berth.api.model;

import java.time.Instant;

/**
 * One entry of the engine's event log. Ids increase in the order events happened, so a client
 * that saw id N resumes with {@code events(N, ...)} and misses nothing the log still holds.
 * {@code detail} is a short human text (exit code, reason, reconcile outcome) or null.
 */
public record Event(long id, Instant at, String workload, EventType type, String detail) {
}
