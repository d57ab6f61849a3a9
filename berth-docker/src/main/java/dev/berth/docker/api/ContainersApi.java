package dev.berth.docker.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.Map;
import java.util.stream.Stream;

/** {@code /containers/...}. Obtain from {@link DockerClient#containers()}. */
public final class ContainersApi {
    /**
     * Podman's compat wait polls container state every 250 ms, adding ~200 ms to every run; its
     * native endpoint takes the interval as a parameter. 20 ms keeps latency near `podman run`
     * while costing the daemon a cheap state read per waiter per tick.
     */
    private static final String PODMAN_WAIT_INTERVAL = "20ms";

    private final Transport t;
    private final EngineInfo engine;

    ContainersApi(Transport t, EngineInfo engine) {
        this.t = t;
        this.engine = engine;
    }

    /**
     * Creates a container from a ContainerConfig body (with HostConfig / NetworkingConfig inside).
     *
     * @param name null for a daemon-generated name
     * @return the container id
     */
    public String create(String name, ObjectNode body) {
        JsonNode r = t.json("POST", "/containers/create", Query.of().add("name", name), body);
        return r.path("Id").asText();
    }

    /** @return false if it was already running (HTTP 304) */
    public boolean start(String id) {
        return t.send("POST", "/containers/" + Query.path(id) + "/start", null, null) != 304;
    }

    /**
     * @param timeoutSeconds grace period before SIGKILL; null for the container's StopTimeout
     * @return false if it was already stopped (HTTP 304)
     */
    public boolean stop(String id, Integer timeoutSeconds) {
        return t.send("POST", "/containers/" + Query.path(id) + "/stop", Query.of().add("t", timeoutSeconds), null) != 304;
    }

    /** @param signal e.g. "SIGTERM" or "9"; null for SIGKILL. A stopped container yields {@link ConflictException}. */
    public void kill(String id, String signal) {
        t.send("POST", "/containers/" + Query.path(id) + "/kill", Query.of().add("signal", signal), null);
    }

    public void restart(String id, Integer timeoutSeconds) {
        t.send("POST", "/containers/" + Query.path(id) + "/restart", Query.of().add("t", timeoutSeconds), null);
    }

    /** @return false when there was no such container (removal is idempotent) */
    public boolean remove(String id, boolean force, boolean volumes) {
        try {
            t.send("DELETE", "/containers/" + Query.path(id), Query.of().flagIf("force", force).flagIf("v", volumes), null);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** @throws NotFoundException when there is no such container */
    public JsonNode inspect(String id) {
        return t.get("/containers/" + Query.path(id) + "/json", null);
    }

    /**
     * @param labels label filters: key to value, or key to null to match on presence
     * @return the JSON array of container summaries
     */
    public JsonNode list(boolean all, Map<String, String> labels) {
        Query q = Query.of().flagIf("all", all);
        if (labels != null && !labels.isEmpty()) {
            q.filters(Map.of("label", Query.labelFilter(labels)));
        }
        return t.get("/containers/json", q);
    }

    /**
     * Blocks until the condition holds and returns the exit status. No client-side timeout: a
     * container may legitimately run for days. {@code "not-running"} also returns at once for an
     * already-exited container, so calling it after {@link #start} is race-free.
     *
     * @param condition "not-running" (default when null), "next-exit" or "removed"
     */
    public int waitFor(String id, String condition) {
        if (engine.podman() && (condition == null || condition.equals("not-running"))) {
            return podmanWaitNotRunning(id);
        }
        try (ContainerWait w = beginWait(id, condition)) {
            return w.await();
        }
    }

    /** Same semantics as "not-running": returns at once (0) for a created or exited container. */
    private int podmanWaitNotRunning(String id) {
        String path = "/v" + engine.engineVersion() + "/libpod/containers/" + Query.path(id) + "/wait"
                + Query.of().add("condition", "exited").add("condition", "stopped").add("interval", PODMAN_WAIT_INTERVAL);
        return Json.parse(t.readAll(t.call(HttpRequest.post(path)))).asInt();
    }

    /**
     * Sends the wait and returns once the daemon answered with its response head, leaving the
     * result pending: begin a {@code "next-exit"} wait, start the container, then
     * {@link ContainerWait#await()}. Costs one extra connection while pending.
     */
    public ContainerWait beginWait(String id, String condition) {
        HttpResponse r = t.call(t.request("POST", "/containers/" + Query.path(id) + "/wait",
                Query.of().add("condition", condition)));
        return new ContainerWait(id, r, t);
    }

    /**
     * Log output as frames. With {@code follow} the reader blocks for new output until the container
     * stops; close it (from any thread) to stop early.
     */
    public FrameReader logs(String id, LogOptions o) {
        Query q = Query.of().flag("stdout", o.stdout()).flag("stderr", o.stderr())
                .flagIf("follow", o.follow()).add("tail", o.tail()).flagIf("timestamps", o.timestamps());
        if (o.sinceEpochSeconds() > 0) {
            q.add("since", o.sinceEpochSeconds());
        }
        HttpResponse r = t.call(t.request("GET", "/containers/" + Query.path(id) + "/logs", q));
        return FrameReader.of(r.body(), o.tty());
    }

    /** Extracts a tar stream into {@code path} inside the container, streaming it chunked. */
    public void putArchive(String id, String path, InputStream tar) {
        putArchive(id, path, tar, -1);
    }

    /** @param length the exact tar size, or -1 to send chunked */
    public void putArchive(String id, String path, InputStream tar, long length) {
        HttpRequest req = t.request("PUT", "/containers/" + Query.path(id) + "/archive", Query.of().add("path", path))
                .withBody(new HttpRequest.Streamed(tar, length, "application/x-tar"));
        t.readAll(t.call(req));
    }

    /** A tar of {@code path}; the caller must close it (reading to the end keeps the connection). */
    public InputStream getArchive(String id, String path) {
        return t.call(t.request("GET", "/containers/" + Query.path(id) + "/archive", Query.of().add("path", path))).body();
    }

    /** One stats sample (the daemon waits ~1s to compute CPU deltas unless one-shot is supported). */
    public JsonNode stats(String id) {
        return t.get("/containers/" + Query.path(id) + "/stats", Query.of().flag("stream", false));
    }

    /** A stats document about every second until closed or the container stops. */
    public Stream<JsonNode> statsStream(String id) {
        return t.jsonStream(t.call(t.request("GET", "/containers/" + Query.path(id) + "/stats", Query.of().flag("stream", true))));
    }

    /**
     * Attaches to a running (or created, then started by the caller) container's streams.
     *
     * @param tty whether the container has a TTY (raw stream instead of frames)
     * @param logs also replay output produced so far
     */
    public ExecConnection attach(String id, boolean stdin, boolean tty, boolean logs) {
        Query q = Query.of().flag("stream", true).flag("stdout", true).flag("stderr", true)
                .flagIf("stdin", stdin).flagIf("logs", logs);
        HijackedConnection c = t.http().upgrade(t.request("POST", "/containers/" + Query.path(id) + "/attach", q));
        return new ExecConnection(id, c, tty);
    }
}
