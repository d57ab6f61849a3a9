package dev.berth.api.model;

/** The outcome of a buffered exec: exit code and the two output streams, kept apart. */
public record ExecResult(int exitCode, String stdout, String stderr) {
}
