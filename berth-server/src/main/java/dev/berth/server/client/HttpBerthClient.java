package dev.berth.server.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.berth.api.client.BerthClient;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.BackendResource;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.model.Credentials;
import dev.berth.api.model.Event;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecResult;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.ImageDetails;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import dev.berth.api.model.PullProgress;
import dev.berth.api.model.ReconcileReport;
import dev.berth.api.model.Stats;
import dev.berth.api.model.SystemInfo;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spec.Signal;
import dev.berth.api.spec.SpecParser;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.docker.api.HttpRequest;
import dev.berth.server.http.ApiBodies;
import dev.berth.server.http.ApiBodies.PullEvent;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@link BerthClient} over the daemon's REST API (unix socket or TCP with a token). Behaves like
 * the in-process engine: the same results and the same {@link BerthException}s. Paths given to
 * image import/unpack are paths on the daemon's host.
 */
public final class HttpBerthClient implements BerthClient {
    private static final TypeFactory TYPES = TypeFactory.defaultInstance();

    private final DaemonHttp http;
    private SpecParser specs; // built on first use: its YAML and JSON mappers cost a CLI ~100 ms

    public HttpBerthClient(DaemonAddress address, String token) {
        this.http = new DaemonHttp(address, token);
    }

    public DaemonAddress address() {
        return http.address();
    }

    /** Whether a daemon answers at all (GET /v1/version). */
    public String ping() {
        return http.call(http.request("GET", "/v1/version"), Map.class).get("version").toString();
    }

    @Override
    public WorkloadStatus create(WorkloadSpec spec) {
        return submit(spec, false);
    }

    @Override
    public WorkloadStatus run(WorkloadSpec spec) {
        return submit(spec, true);
    }

    private WorkloadStatus submit(WorkloadSpec spec, boolean start) {
        if (specs == null) {
            specs = new SpecParser();
        }
        var req = http.request("POST", "/v1/workloads" + (start ? "?start=true" : "")).withJson(
                specs.toJson(spec).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return http.call(req, WorkloadStatus.class);
    }

    @Override
    public WorkloadStatus start(String name) {
        return verb(name, "start", "");
    }

    @Override
    public WorkloadStatus stop(String name, Duration grace) {
        return verb(name, "stop", Query.of("grace", millis(grace)));
    }

    @Override
    public WorkloadStatus restart(String name, Duration grace) {
        return verb(name, "restart", Query.of("grace", millis(grace)));
    }

    @Override
    public WorkloadStatus kill(String name, Signal signal) {
        return verb(name, "kill", Query.of("signal", signal == null ? null : signal.name()));
    }

    private WorkloadStatus verb(String name, String verb, String query) {
        return http.call(http.request("POST", workload(name) + "/" + verb + query), WorkloadStatus.class);
    }

    @Override
    public boolean remove(String name, boolean force) {
        return http.callNoContent(http.request("DELETE", workload(name) + Query.of("force", force ? "true" : null)), true);
    }

    @Override
    public WorkloadStatus inspect(String name) {
        return http.call(http.request("GET", workload(name)), WorkloadStatus.class);
    }

    @Override
    public List<WorkloadStatus> list(boolean all) {
        return http.call(http.request("GET", "/v1/workloads" + Query.of("all", all ? "true" : null)), listOf(WorkloadStatus.class));
    }

    @Override
    public Stream<LogLine> logs(String name, LogQuery query) {
        String q = Query.builder()
                .add("tail", query.tail() == null ? null : query.tail().toString())
                .add("since", query.since() == null ? null : query.since().toString())
                .add("follow", query.follow() ? "true" : null)
                .add("stdout", query.stdout() ? null : "false")
                .add("stderr", query.stderr() ? null : "false")
                .add("timestamps", query.timestamps() ? "true" : null)
                .build();
        return http.stream(http.request("GET", workload(name) + "/logs" + q), LogLine.class);
    }

    @Override
    public ExecResult exec(String name, ExecRequest request) {
        if (request.tty() || request.stdin()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "exec with tty or stdin needs execStream", "tty", null);
        }
        return http.call(http.json("POST", workload(name) + "/exec", request), ExecResult.class);
    }

    @Override
    public ExecSession execStream(String name, ExecRequest request) {
        return RemoteExecSession.open(http, workload(name) + "/exec/ws", request);
    }

    @Override
    public Stats stats(String name) {
        return http.call(http.request("GET", workload(name) + "/stats"), Stats.class);
    }

    @Override
    public Stream<Stats> statsStream(String name) {
        return http.stream(http.request("GET", workload(name) + "/stats?stream=true"), Stats.class);
    }

    @Override
    public ExitStatus waitExit(String name, Duration timeout) {
        return http.call(http.request("POST", workload(name) + "/wait" + Query.of("timeout", millis(timeout))), ExitStatus.class);
    }

    @Override
    public ImageInfo pullImage(String backend, String image, String platform, PullPolicy policy, Credentials credentials,
                               Consumer<PullProgress> progress) {
        var body = new ApiBodies.PullBody(image, platform, policy, backend, credentials);
        try (Stream<PullEvent> events = http.stream(http.json("POST", "/v1/images/pull", body), PullEvent.class)) {
            for (PullEvent event : (Iterable<PullEvent>) events::iterator) {
                if (event.error() != null) {
                    throw event.error().toException();
                }
                if (event.image() != null) {
                    return event.image();
                }
                if (progress != null && event.progress() != null) {
                    progress.accept(event.progress());
                }
            }
        }
        throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "the daemon ended the pull of " + image + " without a result");
    }

    @Override
    public String pushImage(String image, Credentials credentials) {
        var body = new ApiBodies.PushBody(image, credentials);
        return http.call(http.json("POST", "/v1/images/push", body), Map.class).get("digest").toString();
    }

    @Override
    public ImageDetails inspectImage(String backend, String image) {
        return http.call(http.request("GET", "/v1/images/inspect" + images(backend).add("image", image).build()), ImageDetails.class);
    }

    @Override
    public void unpackImage(String image, Path dir) {
        http.callNoContent(http.json("POST", "/v1/images/unpack", new ApiBodies.UnpackBody(image, dir.toAbsolutePath().toString())), false);
    }

    @Override
    public List<ImageInfo> listImages(String backend) {
        return http.call(http.request("GET", "/v1/images" + images(backend).build()), listOf(ImageInfo.class));
    }

    @Override
    public boolean removeImage(String backend, String image, boolean force) {
        return http.callNoContent(http.request("DELETE", "/v1/images"
                + images(backend).add("image", image).add("force", force ? "true" : null).build()), true);
    }

    @Override
    public List<String> pruneImages(String backend) {
        return http.call(http.request("POST", "/v1/images/prune" + images(backend).build()), listOf(String.class));
    }

    @Override
    public void tagImage(String backend, String source, String target) {
        http.callNoContent(http.json("POST", "/v1/images/tag", new ApiBodies.TagBody(source, target, backend)), false);
    }

    @Override
    public ImageInfo importImage(String backend, InputStream rootfsTar, String target, List<String> changes) {
        var query = images(backend).add("target", target);
        changes.forEach(c -> query.add("change", c));
        var req = http.request("POST", "/v1/images/import" + query.build())
                .withBody(new HttpRequest.Streamed(rootfsTar, -1, "application/x-tar"));
        return http.call(req, ImageInfo.class);
    }

    @Override
    public ImageInfo importImage(String backend, Path source, String target, List<String> changes) {
        var body = new ApiBodies.ImportPathBody(source.toAbsolutePath().toString(), target, changes, backend);
        return http.call(http.json("POST", "/v1/images/import-path", body), ImageInfo.class);
    }

    @Override
    public NetworkInfo createNetwork(String backend, NetworkSpec spec) {
        var body = new ApiBodies.NetworkBody(backend, spec.name(), spec.internal(), spec.subnet());
        return http.call(http.json("POST", "/v1/networks", body), NetworkInfo.class);
    }

    @Override
    public boolean removeNetwork(String name) {
        return http.callNoContent(http.request("DELETE", "/v1/networks/" + Query.segment(name)), true);
    }

    @Override
    public List<NetworkInfo> listNetworks() {
        return http.call(http.request("GET", "/v1/networks"), listOf(NetworkInfo.class));
    }

    @Override
    public SystemInfo info() {
        return http.call(http.request("GET", "/v1/info"), SystemInfo.class);
    }

    @Override
    public Stream<Event> events(long sinceId, boolean follow) {
        String q = Query.builder().add("since", sinceId > 0 ? Long.toString(sinceId) : null).add("follow", follow ? "true" : null).build();
        return http.stream(http.request("GET", "/v1/events" + q), Event.class);
    }

    @Override
    public ReconcileReport reconcile() {
        return http.call(http.request("POST", "/v1/system/reconcile"), ReconcileReport.class);
    }

    @Override
    public CleanupReport reap() {
        return http.call(http.request("POST", "/v1/system/reap"), CleanupReport.class);
    }

    @Override
    public Map<String, List<BackendResource>> foreignResources() {
        JavaType type = TYPES.constructMapType(java.util.LinkedHashMap.class, TYPES.constructType(String.class), listOf(BackendResource.class));
        return http.call(http.request("GET", "/v1/system/foreign"), type);
    }

    @Override
    public CleanupReport pruneOwner(String ownerId) {
        return http.call(http.json("POST", "/v1/system/prune-owner", new ApiBodies.PruneOwnerBody(ownerId)), CleanupReport.class);
    }

    @Override
    public void close() {
        http.close();
    }

    private static String workload(String name) {
        return "/v1/workloads/" + Query.segment(name);
    }

    private static Query images(String backend) {
        return Query.builder().add("backend", backend);
    }

    private static String millis(Duration d) {
        return d == null ? null : d.toMillis() + "ms";
    }

    private static JavaType listOf(Class<?> type) {
        return TYPES.constructCollectionType(List.class, type);
    }
}
