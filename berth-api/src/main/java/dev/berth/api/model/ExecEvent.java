package dev.berth.api.model;

/** What a streaming exec produces: output chunks as they come, then exactly one exit. */
public sealed interface ExecEvent {
    record Output(LogStream stream, byte[] data) implements ExecEvent {
    }

    record Exited(int exitCode) implements ExecEvent {
    }
}
