package dev.berth.docker.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.BackendInfo;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecResult;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.Stats;
import dev.berth.api.spec.Signal;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.Capabilities;
import dev.berth.api.spi.CreateRequest;
import dev.berth.api.spi.Handle;
import dev.berth.api.spi.ImageOps;
import dev.berth.api.spi.NetworkOps;
import dev.berth.api.spi.OwnedResource;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.docker.api.ConflictException;
import dev.berth.docker.api.DockerClient;
import dev.berth.docker.api.DockerException;
import dev.berth.docker.api.ExecApi;
import dev.berth.docker.api.LogOptions;
import dev.berth.docker.api.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The Docker Engine backend, also serving Podman through its Docker-compatible socket. Every
 * operation is one or two Engine API calls over a kept-alive unix socket connection.
 */
public final class DockerBackend implements Backend {
    private final String name;
    private final DockerClient client;
    private volatile EngineFacts facts;
    private final DockerImages images;
    private final DockerNetworks networks;

    DockerBackend(String name, DockerClient client) {
        this.name = name;
        this.client = client;
        this.images = new DockerImages(name, client);
        this.networks = new DockerNetworks(name, client);
    }

    /**
     * {@code /info} is read on first need only (capability checks, stats limits): Podman takes
     * about half a second to answer it, which a CLI invocation should not pay for a {@code logs}.
     */
    private EngineFacts facts() {
        EngineFacts f = facts;
        if (f == null) {
            JsonNode info = DockerErrors.call(name, "read engine info", client::info);
            // Podman lists every runtime its config knows, installed or not; the engine is on this
            // host (unix socket), so an absolute path that is not executable means "not installed".
            var rts = new ArrayList<String>();
            info.path("Runtimes").fields().forEachRemaining(e -> {
                String path = e.getValue().path("path").asText("");
                if (!path.startsWith("/") || java.nio.file.Files.isExecutable(java.nio.file.Path.of(path))) {
                    rts.add(e.getKey());
                }
            });
            f = new EngineFacts(List.copyOf(rts), info.path("MemTotal").asLong(),
                    DockerCapabilities.of(client.isPodman(), rts), DockerCapabilities.degraded(client.isPodman(), rts));
            facts = f;
        }
        return f;
    }

    private record EngineFacts(List<String> runtimes, long hostMemory, Capabilities capabilities, List<String> degraded) {
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Capabilities capabilities() {
        return facts().capabilities();
    }

    @Override
    public BackendInfo info() {
        return new BackendInfo(name, true, client.engineName(), client.engineVersion(), client.apiVersion().toString(),
                "unix://" + client.socket(), facts().degraded(), null);
    }

    @Override
    public String hostAlias() {
        return client.isPodman() ? "host.containers.internal" : "host.docker.internal";
    }

    @Override
    public ImageOps images() {
        return images;
    }

    @Override
    public NetworkOps networks() {
        return networks;
    }

    @Override
    public Handle create(CreateRequest request) {
        var spec = request.spec();
        String runtime = runtime(spec);
        // Podman resolves host.containers.internal itself; Docker on Linux needs the gateway mapping.
        String alias = client.isPodman() ? null : "host.docker.internal:host-gateway";
        String id;
        try {
            // The init wrapper takes the ENTRYPOINT slot, so the real argv is computed against the image's.
            List<String> initArgv = InstanceInit.wanted(spec)
                    ? InstanceInit.argv(spec, client.images().inspect(spec.image()).path("Config")) : null;
            id = client.containers().create(spec.name(), CreateBody.of(request, alias, runtime, initArgv));
        } catch (ConflictException e) {
            Handle reused = existing(request);
            prepareInit(reused.id(), spec, false);
            return reused;
        } catch (NotFoundException e) {
            boolean image = e.message() != null && e.message().toLowerCase(java.util.Locale.ROOT).contains("image");
            throw new BerthException(image ? ErrorCode.IMAGE_NOT_FOUND : ErrorCode.NOT_FOUND,
                    name + ": create " + spec.name() + ": " + e.message(), image ? "image" : null, e);
        } catch (DockerException e) {
            throw DockerErrors.translate(name, "create " + spec.name(), e);
        }
        try {
            for (String net : spec.networks().subList(Math.min(1, spec.networks().size()), spec.networks().size())) {
                client.networks().connect(net, id, List.of(spec.name()));
            }
        } catch (DockerException e) {
            removeQuietly(id);
            throw DockerErrors.translate(name, "connect " + spec.name() + " to its networks", e);
        }
        prepareInit(id, spec, true);
        return new Handle(name, id);
    }

    /**
     * Before first start: checks the wrapper's shell exists and copies the user data in as a file,
     * so its text never reaches argv, env or a shell string. A failure removes a container this
     * create made ({@code owned}), so no half-prepared workload is left behind.
     */
    private void prepareInit(String id, dev.berth.api.spec.WorkloadSpec spec, boolean owned) {
        if (!InstanceInit.wanted(spec)) {
            return;
        }
        try {
            requireShell(id, spec);
            if (spec.userData() != null) {
                byte[] tar = InstanceInit.userDataTar(spec);
                DockerErrors.run(name, "copy user data into " + spec.name(),
                        () -> client.containers().putArchive(id, "/", new ByteArrayInputStream(tar), tar.length));
            }
        } catch (RuntimeException e) {
            if (owned) {
                removeQuietly(id);
            }
            throw e;
        }
    }

    private void requireShell(String id, dev.berth.api.spec.WorkloadSpec spec) {
        String field = spec.userData() != null ? "userData" : "keepAlive";
        try (InputStream sh = client.containers().getArchive(id, InstanceInit.SHELL)) {
            sh.transferTo(OutputStream.nullOutputStream()); // read to the end to keep the connection
        } catch (NotFoundException e) {
            throw new BerthException(ErrorCode.UNSUPPORTED, name + ": " + field + ": userData/keepAlive need "
                    + InstanceInit.SHELL + " in the image, and " + spec.image() + " has none", field, e);
        } catch (DockerException e) {
            throw DockerErrors.translate(name, "look for " + InstanceInit.SHELL + " in " + spec.name(), e);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, name + ": look for " + InstanceInit.SHELL + " in " + spec.name() + ": " + e, e);
        }
    }

    private String runtime(dev.berth.api.spec.WorkloadSpec spec) {
        String wanted = spec.runtime() != null ? spec.runtime()
                : spec.isolation() == dev.berth.api.spec.Isolation.SANDBOX ? "runsc" : null;
        List<String> runtimes = facts().runtimes();
        if (wanted != null && !runtimes.contains(wanted)) {
            throw new BerthException(ErrorCode.UNSUPPORTED, (spec.runtime() != null ? "runtime" : "isolation") + ": runtime '"
                    + wanted + "' is not registered with " + name + "; available: " + String.join(", ", runtimes), "runtime", null);
        }
        return wanted;
    }

    /** The name is taken: ours from an interrupted create (same owner/workload/generation) is reused. */
    private Handle existing(CreateRequest request) {
        JsonNode c = DockerErrors.call(name, "inspect " + request.name(), () -> client.containers().inspect(request.name()));
        if (CreateBody.ownedBy(InspectMapper.labels(c.path("Config").path("Labels")), request.owner())) {
            return new Handle(name, c.path("Id").asText());
        }
        throw new BerthException(ErrorCode.NAME_IN_USE, name + ": a container named '" + request.name()
                + "' already exists and was not created for this workload; remove it or choose another name", "name", null);
    }

    @Override
    public Optional<Handle> find(String ownerId, String workload) {
        var labels = new HashMap<String, String>();
        labels.put(OwnerLabels.OWNER, ownerId);
        labels.put(OwnerLabels.WORKLOAD, workload);
        JsonNode list = DockerErrors.call(name, "list containers", () -> client.containers().list(true, labels));
        return list.isEmpty() ? Optional.empty() : Optional.of(new Handle(name, list.get(0).path("Id").asText()));
    }

    @Override
    public void copyIn(Handle handle, String path, InputStream tar) {
        DockerErrors.run(name, "copy files into " + shortId(handle), () -> client.containers().putArchive(handle.id(), path, tar));
    }

    @Override
    public InputStream copyOut(Handle handle, String path) {
        return DockerErrors.call(name, "copy " + path + " out of " + shortId(handle), () -> client.containers().getArchive(handle.id(), path));
    }

    @Override
    public void start(Handle handle) {
        DockerErrors.run(name, "start " + shortId(handle), () -> client.containers().start(handle.id()));
    }

    @Override
    public void stop(Handle handle, Duration grace) {
        DockerErrors.run(name, "stop " + shortId(handle), () -> client.containers().stop(handle.id(), seconds(grace)));
    }

    @Override
    public void kill(Handle handle, Signal signal) {
        DockerErrors.run(name, "kill " + shortId(handle), () -> client.containers().kill(handle.id(), signal.name()));
    }

    @Override
    public void restart(Handle handle, Duration grace) {
        DockerErrors.run(name, "restart " + shortId(handle), () -> client.containers().restart(handle.id(), seconds(grace)));
    }

    @Override
    public boolean remove(Handle handle) {
        return DockerErrors.call(name, "remove " + shortId(handle), () -> client.containers().remove(handle.id(), true, true));
    }

    @Override
    public BackendStatus inspect(Handle handle) {
        return InspectMapper.status(DockerErrors.call(name, "inspect " + shortId(handle), () -> client.containers().inspect(handle.id())));
    }

    @Override
    public Stream<LogLine> logs(Handle handle, LogQuery q) {
        var options = new LogOptions(q.stdout(), q.stderr(), q.follow(), q.tail() == null ? null : Integer.toString(q.tail()),
                q.since() == null ? 0 : q.since().getEpochSecond(), true, false);
        var frames = DockerErrors.call(name, "logs of " + shortId(handle), () -> client.containers().logs(handle.id(), options));
        Stream<LogLine> lines = LogLines.stream(frames, name);
        if (q.since() != null) {
            lines = lines.filter(l -> l.timestamp() == null || !l.timestamp().isBefore(q.since()));
        }
        return q.timestamps() ? lines : lines.map(l -> new LogLine(l.stream(), l.timestamp(), l.text()));
    }

    @Override
    public ExecResult exec(Handle handle, ExecRequest request) {
        String execId = createExec(handle, request.withStdin(false));
        var result = DockerErrors.call(name, "exec in " + shortId(handle), () -> client.exec().startBuffered(execId, request.tty()));
        return new ExecResult(result.exitCode(), result.stdoutText(), result.stderrText());
    }

    @Override
    public ExecSession execStream(Handle handle, ExecRequest request) {
        String execId = createExec(handle, request);
        var connection = DockerErrors.call(name, "exec in " + shortId(handle), () -> client.exec().start(execId, request.tty()));
        return new DockerExecSession(client.exec(), execId, connection);
    }

    private String createExec(Handle handle, ExecRequest request) {
        var body = ExecApi.config(request.argv(), request.stdin(), request.tty());
        if (!request.env().isEmpty()) {
            var env = body.putArray("Env");
            request.env().forEach((k, v) -> env.add(k + "=" + v));
        }
        if (request.user() != null) {
            body.put("User", request.user());
        }
        if (request.workingDir() != null) {
            body.put("WorkingDir", request.workingDir());
        }
        return DockerErrors.call(name, "exec in " + shortId(handle), () -> client.exec().create(handle.id(), body));
    }

    @Override
    public Stats stats(Handle handle) {
        return InspectMapper.stats(DockerErrors.call(name, "stats of " + shortId(handle), () -> client.containers().stats(handle.id())), facts().hostMemory());
    }

    @Override
    public Stream<Stats> statsStream(Handle handle) {
        var samples = DockerErrors.call(name, "stats of " + shortId(handle), () -> client.containers().statsStream(handle.id()));
        long hostMemory = facts().hostMemory();
        return DockerErrors.stream(name, "stats of " + shortId(handle), samples).map(json -> InspectMapper.stats(json, hostMemory));
    }

    @Override
    public ExitStatus waitExit(Handle handle, Duration timeout) {
        int code = timeout == null
                ? DockerErrors.call(name, "wait for " + shortId(handle), () -> client.containers().waitFor(handle.id(), "not-running"))
                : waitBounded(handle, timeout);
        // Only a SIGKILL death (137) can be the OOM killer's; other codes need no inspect round trip.
        if (code == 137) {
            BackendStatus status = inspect(handle);
            if (status.exit() != null) {
                return status.exit();
            }
        }
        return ExitStatus.ofCode(code);
    }

    private int waitBounded(Handle handle, Duration timeout) {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var future = executor.submit(() -> client.containers().waitFor(handle.id(), "not-running"));
            try {
                return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new BerthException(ErrorCode.TIMEOUT, name + ": " + shortId(handle) + " still running after " + timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BerthException(ErrorCode.INTERNAL, "interrupted while waiting", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof DockerException de ? DockerErrors.translate(name, "wait", de)
                        : new BerthException(ErrorCode.BACKEND_ERROR, name + ": wait failed: " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public List<OwnedResource> listOwned(String ownerId) {
        var filter = new HashMap<String, String>();
        filter.put(OwnerLabels.OWNER, ownerId);
        var out = new ArrayList<OwnedResource>();
        DockerErrors.call(name, "list containers", () -> client.containers().list(true, filter)).forEach(c -> out.add(
                new OwnedResource(OwnedResource.Kind.WORKLOAD, c.path("Id").asText(), firstName(c), InspectMapper.labels(c.path("Labels")))));
        DockerErrors.call(name, "list networks", () -> client.networks().list(filter)).forEach(n -> out.add(
                new OwnedResource(OwnedResource.Kind.NETWORK, n.path("Id").asText(), n.path("Name").asText(), InspectMapper.labels(n.path("Labels")))));
        return out;
    }

    private static String firstName(JsonNode container) {
        String n = container.path("Names").path(0).asText("");
        return n.startsWith("/") ? n.substring(1) : n;
    }

    private void removeQuietly(String id) {
        try {
            client.containers().remove(id, true, true);
        } catch (DockerException e) {
            System.getLogger(DockerBackend.class.getName()).log(System.Logger.Level.WARNING, "could not remove " + id, e);
        }
    }

    private static Integer seconds(Duration grace) {
        return grace == null ? null : (int) Math.max(0, (grace.toMillis() + 999) / 1000);
    }

    private static String shortId(Handle handle) {
        return handle.id().length() > 12 ? handle.id().substring(0, 12) : handle.id();
    }

    @Override
    public void close() {
        client.close();
    }
}
