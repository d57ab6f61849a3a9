package dev.berth.docker.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code GET /exec/{id}/json} distilled.
 *
 * @param exitCode null while running (or if the engine has not recorded it yet)
 */
public record ExecState(boolean running, Integer exitCode, long pid, JsonNode raw) {
    static ExecState of(JsonNode n) {
        JsonNode code = n.get("ExitCode");
        boolean running = n.path("Running").asBoolean(false);
        Integer exit = running || code == null || code.isNull() ? null : code.asInt();
        return new ExecState(running, exit, n.path("Pid").asLong(0), n);
    }
}
