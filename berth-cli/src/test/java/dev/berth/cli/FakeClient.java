package dev.berth.cli;

import dev.berth.api.client.BerthClient;
import dev.berth.api.error.BerthException;
import dev.berth.api.model.BackendResource;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.model.Credentials;
import dev.berth.api.model.ExecEvent;
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
import dev.berth.api.model.WorkloadState;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spec.Signal;
import dev.berth.api.spec.WorkloadSpec;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** An in-memory BerthClient that records what the CLI asked for and answers with canned data. */
final class FakeClient implements BerthClient {
    final Map<String, WorkloadStatus> workloads = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    final List<LogLine> logLines = new ArrayList<>();
    final List<ExecEvent> execEvents = new ArrayList<>();
    final ByteArrayOutputStream execStdin = new ByteArrayOutputStream();
    final List<PullProgress> pullEvents = new ArrayList<>();
    final List<ReconcileReport.WorkloadOutcome> reconcileOutcomes = new ArrayList<>();
    final Map<String, List<BackendResource>> foreign = new java.util.TreeMap<>();
    CleanupReport cleanup = new CleanupReport(List.of(), List.of(), List.of());
    Credentials lastCredentials;
    WorkloadSpec lastSpec;
    ExecRequest lastExec;
    LogQuery lastLogQuery;
    int exitCode;
    RuntimeException failure;
    boolean closed;

    static WorkloadStatus status(String name, WorkloadState state, ExitStatus exit) {
        return new WorkloadStatus(name, "docker", "h-" + name, "busybox:latest", state, exit, 42, "10.0.0.2",
                Map.of("net1", "10.0.0.2"), List.of(), Instant.parse("2024-05-01T12:00:00Z"), null, null, 0, 1,
                Map.of(), null);
    }

    private WorkloadStatus require(String name) {
        calls.add(name);
        if (failure != null) {
            throw failure;
        }
        WorkloadStatus s = workloads.get(name);
        if (s == null) {
            throw BerthException.notFound("workload '" + name + "'");
        }
        return s;
    }

    @Override
    public WorkloadStatus create(WorkloadSpec spec) {
        lastSpec = spec;
        var s = status(spec.name(), WorkloadState.CREATED, null);
        workloads.put(spec.name(), s);
        return s;
    }

    @Override
    public WorkloadStatus run(WorkloadSpec spec) {
        calls.add("run");
        if (failure != null) {
            throw failure;
        }
        lastSpec = spec;
        var s = status(spec.name(), WorkloadState.RUNNING, null);
        workloads.put(spec.name(), s);
        return s;
    }

    @Override
    public WorkloadStatus start(String name) {
        return require(name);
    }

    @Override
    public WorkloadStatus stop(String name, Duration grace) {
        calls.add("stop " + grace.toSeconds());
        return require(name);
    }

    @Override
    public WorkloadStatus restart(String name, Duration grace) {
        return require(name);
    }

    @Override
    public WorkloadStatus kill(String name, Signal signal) {
        calls.add("kill " + signal);
        return require(name);
    }

    @Override
    public boolean remove(String name, boolean force) {
        calls.add("remove " + name + " " + force);
        return workloads.remove(name) != null;
    }

    @Override
    public WorkloadStatus inspect(String name) {
        return require(name);
    }

    @Override
    public List<WorkloadStatus> list(boolean all) {
        return List.copyOf(workloads.values());
    }

    @Override
    public Stream<LogLine> logs(String name, LogQuery query) {
        require(name);
        lastLogQuery = query;
        return logLines.stream();
    }

    @Override
    public ExecResult exec(String name, ExecRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ExecSession execStream(String name, ExecRequest request) {
        require(name);
        lastExec = request;
        Deque<ExecEvent> events = new ArrayDeque<>(execEvents);
        return new ExecSession() {
            @Override
            public OutputStream stdin() {
                return execStdin;
            }

            @Override
            public ExecEvent next() {
                return events.poll();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Stats stats(String name) {
        require(name);
        return new Stats(Instant.now(), 12.5, 64L << 20, 256L << 20, 3, 1024, 2048, 0, 4096);
    }

    @Override
    public Stream<Stats> statsStream(String name) {
        return Stream.of(stats(name), stats(name));
    }

    @Override
    public ExitStatus waitExit(String name, Duration timeout) {
        require(name);
        return ExitStatus.ofCode(exitCode);
    }

    @Override
    public ImageInfo pullImage(String backend, String image, String platform, PullPolicy policy, Credentials credentials,
                               Consumer<PullProgress> progress) {
        calls.add("pull " + backend + " " + image + " " + platform + " " + policy);
        lastCredentials = credentials;
        pullEvents.forEach(progress);
        return new ImageInfo("sha256:0123456789abcdef0123", List.of(image), 10, Instant.now());
    }

    @Override
    public String pushImage(String image, Credentials credentials) {
        calls.add("push " + image);
        lastCredentials = credentials;
        return "sha256:beef";
    }

    @Override
    public ImageDetails inspectImage(String backend, String image) {
        calls.add("inspect-image " + backend + " " + image);
        return new ImageDetails(backend == null ? "berth" : backend, image, "sha256:0123", "sha256:beef", List.of(image),
                10, Instant.parse("2024-05-01T12:00:00Z"), "linux/amd64", List.of("sha256:aaa"), List.of("PATH=/bin"),
                null, List.of("/bin/sh"), null, null, List.of(), Map.of());
    }

    @Override
    public void unpackImage(String image, Path dir) {
        calls.add("unpack " + image + " " + dir);
    }

    @Override
    public List<ImageInfo> listImages(String backend) {
        calls.add("ls " + backend);
        return List.of(new ImageInfo("sha256:0123456789abcdef0123", List.of("127.0.0.1:5000/app:1.2"), 5 << 20,
                Instant.now().minusSeconds(7200)));
    }

    @Override
    public boolean removeImage(String backend, String image, boolean force) {
        calls.add("rm-image " + backend + " " + image);
        return image.equals("busybox");
    }

    @Override
    public List<String> pruneImages(String backend) {
        calls.add("prune " + backend);
        return List.of("sha256:aaa");
    }

    @Override
    public void tagImage(String backend, String source, String target) {
        calls.add("tag " + backend + " " + source + " " + target);
    }

    @Override
    public ImageInfo importImage(String backend, InputStream rootfsTar, String target, List<String> changes) {
        try {
            calls.add("import " + backend + " " + new String(rootfsTar.readAllBytes()) + " " + target + " " + changes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new ImageInfo("sha256:feed", List.of(target), 1, Instant.now());
    }

    @Override
    public ImageInfo importImage(String backend, Path source, String target, List<String> changes) {
        calls.add("import " + backend + " path " + source + " " + target + " " + changes);
        return new ImageInfo("sha256:feed", List.of(target), 1, Instant.now());
    }

    @Override
    public NetworkInfo createNetwork(String backend, NetworkSpec spec) {
        calls.add("network " + backend + " " + spec);
        return new NetworkInfo(spec.name(), "docker", "abcdef0123456789", spec.internal(), spec.subnet(), null);
    }

    @Override
    public boolean removeNetwork(String name) {
        return name.equals("net1");
    }

    @Override
    public List<NetworkInfo> listNetworks() {
        return List.of(new NetworkInfo("net1", "docker", "abcdef0123456789", true, "10.89.0.0/24", "10.89.0.1"));
    }

    @Override
    public java.util.stream.Stream<dev.berth.api.model.Event> events(long sinceId, boolean follow) {
        return java.util.stream.Stream.empty();
    }

    @Override
    public SystemInfo info() {
        return new SystemInfo("0.1.0", "owner-1", "/var/lib/berth", "docker", List.of(
                new dev.berth.api.model.BackendInfo("docker", true, "docker", "27.1.1", "1.46",
                        "unix:///var/run/docker.sock", List.of("no firewall enforcement"), null),
                dev.berth.api.model.BackendInfo.unavailable("podman", "no socket at /run/podman/podman.sock")));
    }

    @Override
    public ReconcileReport reconcile() {
        calls.add("reconcile");
        return ReconcileReport.of(reconcileOutcomes);
    }

    @Override
    public CleanupReport reap() {
        calls.add("reap");
        return cleanup;
    }

    @Override
    public Map<String, List<BackendResource>> foreignResources() {
        if (failure != null) {
            throw failure;
        }
        return foreign;
    }

    @Override
    public CleanupReport pruneOwner(String ownerId) {
        calls.add("prune-owner " + ownerId);
        if (ownerId.equals("owner-1")) {
            throw new BerthException(dev.berth.api.error.ErrorCode.INVALID_ARGUMENT,
                    "owner id owner-1 is this engine's own: use 'berth system reap'");
        }
        return cleanup;
    }

    @Override
    public void close() {
        closed = true;
    }
}
