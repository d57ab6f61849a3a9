package dev.berth.docker.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A wait request the daemon has accepted (its response head arrived) but whose result may still
 * be pending. Docker registers the wait before sending the head, so starting the container after
 * {@link ContainersApi#beginWait} returns cannot miss the exit. Podman 4.3 sends the head first
 * and subscribes afterwards, so there "next-exit" can still race; use "not-running" after start.
 */
public final class ContainerWait implements AutoCloseable {
    private final String id;
    private final HttpResponse response;
    private final Transport t;

    ContainerWait(String id, HttpResponse response, Transport t) {
        this.id = id;
        this.response = response;
        this.t = t;
    }

    /** Blocks until the condition holds; returns the container's exit status. */
    public int await() {
        JsonNode r = Json.parse(t.readAll(response));
        JsonNode err = r.path("Error");
        if (err.isObject() && !err.path("Message").asText("").isEmpty()) {
            throw new DockerApiException(500, "Waiting for " + id + " failed: " + err.path("Message").asText());
        }
        return r.path("StatusCode").asInt();
    }

    /** Abandons the wait (closes its connection) unless it already completed. */
    @Override
    public void close() {
        response.close();
    }
}
