package dev.berth.docker.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Docker Engine API client over a unix socket; also speaks to Podman's Docker-compatible API.
 * Thread-safe: concurrent calls use separate pooled connections. All calls block, which is the
 * intended use from virtual threads.
 *
 * <pre>{@code
 * try (DockerClient docker = DockerClient.connect()) {           // discovery
 *     String id = docker.containers().create("x", body);
 *     docker.containers().start(id);
 *     int code = docker.containers().waitFor(id, "not-running");
 * }
 * }</pre>
 */
public final class DockerClient implements AutoCloseable {
    private final UnixSocketHttp http;
    private final EngineInfo engine;
    private final Transport transport;
    private final ContainersApi containers;
    private final ExecApi exec;
    private final ImagesApi images;
    private final NetworksApi networks;

    private DockerClient(UnixSocketHttp http, EngineInfo engine) {
        this.http = http;
        this.engine = engine;
        this.transport = new Transport(http, engine.apiVersion());
        this.containers = new ContainersApi(transport, engine);
        this.exec = new ExecApi(transport);
        this.images = new ImagesApi(transport);
        this.networks = new NetworksApi(transport);
    }

    /** Connects to the first engine found by {@link DockerEndpoints} (Docker first, then Podman). */
    public static DockerClient connect() {
        return connect(DockerEndpoints.system().locate(DockerEndpoints.Engine.ANY));
    }

    /** Connects to specifically Docker or specifically Podman. */
    public static DockerClient connect(DockerEndpoints.Engine engine) {
        return connect(DockerEndpoints.system().locate(engine));
    }

    /** @param endpoint {@code unix:///path/to.sock} or a plain socket path */
    public static DockerClient connect(String endpoint) {
        return connect(DockerEndpoints.parse(endpoint));
    }

    public static DockerClient connect(Path socket) {
        return connect(socket, ApiVersion.CLIENT_MAX);
    }

    /**
     * Negotiates the API version: unversioned {@code GET /_ping}, whose headers are enough for
     * Podman (see {@link EngineInfo#fromPodmanPing}); for Docker then unversioned
     * {@code GET /version} (sub-millisecond there) to learn MinAPIVersion too.
     */
    public static DockerClient connect(Path socket, ApiVersion clientMax) {
        UnixSocketHttp http = new UnixSocketHttp(socket);
        try {
            HttpResponse ping = http.execute(HttpRequest.get("/_ping"));
            byte[] pingBody = ping.bytes();
            if (!ping.isSuccess()) {
                throw ApiErrors.from(ping.status(), ping.reason(), pingBody);
            }
            EngineInfo info = EngineInfo.fromPodmanPing(ping.headers(), clientMax, ApiVersion.CLIENT_MIN);
            if (info == null) {
                HttpResponse r = http.execute(HttpRequest.get("/version"));
                byte[] body = r.bytes();
                if (!r.isSuccess()) {
                    throw ApiErrors.from(r.status(), r.reason(), body);
                }
                info = EngineInfo.negotiate(Json.parse(body), clientMax, ApiVersion.CLIENT_MIN);
            }
            return new DockerClient(http, info);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    public ContainersApi containers() {
        return containers;
    }

    public ExecApi exec() {
        return exec;
    }

    public ImagesApi images() {
        return images;
    }

    public NetworksApi networks() {
        return networks;
    }

    public EngineInfo engine() {
        return engine;
    }

    public ApiVersion apiVersion() {
        return engine.apiVersion();
    }

    public boolean isPodman() {
        return engine.podman();
    }

    public String engineName() {
        return engine.engineName();
    }

    public String engineVersion() {
        return engine.engineVersion();
    }

    public Path socket() {
        return http.socket();
    }

    /** For building request bodies ({@code json().createObjectNode()}); shared and thread-safe. */
    public ObjectMapper json() {
        return Json.MAPPER;
    }

    /** Connections opened so far: stays at 1 for sequential use when keep-alive works. */
    public long connectionsOpened() {
        return http.connectionsOpened();
    }

    /** {@code GET /_ping}; throws if the engine does not answer OK. */
    public void ping() {
        HttpResponse r = http.execute(HttpRequest.get("/_ping"));
        byte[] body = r.bytes();
        if (!r.isSuccess()) {
            throw ApiErrors.from(r.status(), r.reason(), body);
        }
    }

    /** The full {@code /version} document (slow on Podman: ~0.85 s). */
    public JsonNode version() {
        return transport.get("/version", null);
    }

    public JsonNode info() {
        return transport.get("/info", null);
    }

    /**
     * Live engine events until the stream is closed. Returns as soon as the subscription request
     * is sent; the first element blocks until an event arrives (Podman only answers then).
     *
     * @param filters e.g. {@code {"type": ["container"], "label": ["dev.berth=1"]}}; may be null
     * @param sinceEpochSeconds replay from this time, or 0 for only new events
     */
    public Stream<JsonNode> events(Map<String, List<String>> filters, long sinceEpochSeconds) {
        Query q = Query.of().filters(filters);
        if (sinceEpochSeconds > 0) {
            q.add("since", sinceEpochSeconds);
        }
        return transport.jsonStream(http.send(transport.request("GET", "/events", q)));
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "DockerClient[" + engine.engineName() + " " + engine.engineVersion() + " at " + http.socket()
                + ", API " + engine.apiVersion() + "]";
    }
}
