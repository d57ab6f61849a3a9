package dev.berth.oci.conmon;

import dev.berth.api.model.ExitStatus;
import java.time.Instant;

/** What conmon left in a workload's status directory once its process ended. */
public record ExitRecord(ExitStatus status, Instant finishedAt) {
}
