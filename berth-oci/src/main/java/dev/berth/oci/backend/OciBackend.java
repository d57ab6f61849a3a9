package dev.berth.oci.backend;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.BackendInfo;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecResult;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.PublishedPort;
import dev.berth.api.model.Stats;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.Protocol;
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
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.net.HostCommands;
import dev.berth.net.NetworkFabric;
import dev.berth.oci.bundle.ResolvedUser;
import dev.berth.oci.bundle.Users;
import dev.berth.oci.conmon.ExitRecord;
import dev.berth.oci.conmon.LogReader;
import dev.berth.oci.images.OciImages;
import dev.berth.oci.rootfs.Rootfs;
import dev.berth.oci.runtime.RuntimeCli;
import dev.berth.oci.runtime.RuntimeState;
import dev.berth.oci.transport.CommandTransport;
import dev.berth.oci.transport.HostFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * The OCI runtime backend: bundles built from Berth's own image store, containers created by an
 * OCI runtime under conmon, which keeps their logs and exit status on disk. Every runtime and
 * file operation goes through the {@link CommandTransport}. Restart policies are the engine's.
 */
public final class OciBackend implements Backend {
    private static final Duration EXEC_TIMEOUT = Duration.ofHours(24);
    private static final Duration EXIT_SETTLE = Duration.ofSeconds(2);

    private final String name;
    private final CommandTransport transport;
    private final HostFiles files;
    private final Bundles bundles;
    private final Runtimes runtimes;
    private final Containers containers;
    private final BundleFactory factory;
    private final Rootfs rootfs;
    private final OciImages images;
    private final NetworkFabric fabric;
    private final NetworkOps networks;
    private final HostsFiles hosts;
    private final StatsReader stats;
    private final OciCapabilities capabilities;
    private final String conmonVersion;

    OciBackend(OciBackendParts parts) {
        this.name = parts.name();
        this.transport = parts.transport();
        this.files = new HostFiles(transport);
        this.bundles = new Bundles(parts.root() + "/bundles", transport);
        this.runtimes = new Runtimes(transport, parts.runtimePaths(), parts.root() + "/state", parts.fabric() != null,
                parts.defaultRuntime());
        this.containers = new Containers(bundles, runtimes, parts.conmon(), transport, parts.root() + "/sock");
        this.images = parts.images();
        this.fabric = parts.fabric();
        this.networks = parts.networks();
        this.rootfs = new Rootfs(transport, images.service(), images.scratchDir());
        this.hosts = new HostsFiles(bundles, files, fabric, OciCapabilities.HOST_ALIAS);
        this.factory = new BundleFactory(bundles, runtimes, images, rootfs, fabric, hosts, transport, parts.nofileLimit());
        this.stats = new StatsReader(files);
        this.runtimes.get(null);
        this.capabilities = new OciCapabilities(runtimes, fabric != null, parts.fabricError(),
                transport.isLocal() ? null : transport.describe());
        this.conmonVersion = parts.conmonVersion();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities.of(runtimes.defaultName());
    }

    @Override
    public BackendInfo info() {
        RuntimeCli runtime = runtimes.get(null);
        return new BackendInfo(name, true, runtime.profile().name(), runtime.version(), "conmon " + conmonVersion,
                transport.describe(), capabilities.degraded(runtimes.defaultName()), null);
    }

    @Override
    public String hostAlias() {
        return fabric == null ? null : OciCapabilities.HOST_ALIAS;
    }

    @Override
    public ImageOps images() {
        return images;
    }

    @Override
    public NetworkOps networks() {
        return networks;
    }

    /** The handle id: the workload name and its generation, so two generations never share a bundle. */
    static String handleId(String workload, long generation) {
        return workload + "-" + Long.toString(generation, 36);
    }

    @Override
    public Handle create(CreateRequest request) {
        capabilities.check(request.spec(), name, factory.runtimeFor(request.spec()));
        String id = handleId(request.name(), request.owner().generation());
        Optional<BundleMeta> existing = bundles.meta(id);
        if (existing.isPresent()) {
            if (!Bundles.ownedBy(existing.get(), request.owner())) {
                throw new BerthException(ErrorCode.NAME_IN_USE, name + ": a bundle " + id + " exists under " + bundles.root()
                        + " and was not created for this workload", "name", null);
            }
            if (containers.state(existing.get()).isPresent()) {
                return new Handle(name, id); // a retried create after a crash
            }
            removeBundle(existing.get()); // a create interrupted half-way: start it over
        }
        try {
            BundleMeta meta = factory.create(id, request);
            createPlugged(meta, request.spec());
            return new Handle(name, id);
        } catch (RuntimeException e) {
            bundles.meta(id).ifPresentOrElse(this::removeQuietly, () -> files.deleteTree(bundles.dir(id)));
            throw e;
        }
    }

    /**
     * The runtime creates the container in the reserved netns while the network is plugged in
     * (~15 ms of ip/nft calls next to ~25 ms of runc create; the container's own process starts
     * only at start). Every profile sees interfaces plugged in after create: runc, crun and youki
     * use the kernel's netns, runsc runs with --network=host (its netstack, which copies the
     * interfaces at create, is never used). Both finish before this returns, failed or not, so
     * the caller's cleanup never races the plugging.
     */
    private void createPlugged(BundleMeta meta, WorkloadSpec spec) {
        var plugged = CompletableFuture.runAsync(() -> factory.plug(meta.id(), spec), BundleFactory.VIRTUAL);
        RuntimeException failure = null;
        try {
            containers.createUnderConmon(meta);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            plugged.join();
        } catch (CompletionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : e;
            if (failure == null) {
                failure = cause;
            } else {
                failure.addSuppressed(cause);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public Optional<Handle> find(String ownerId, String workload) {
        return bundles.list().stream()
                .filter(m -> ownerId.equals(m.labels().get(OwnerLabels.OWNER)) && workload.equals(m.workload()))
                .findFirst().map(m -> new Handle(name, m.id()));
    }

    @Override
    public void copyIn(Handle handle, String path, InputStream tar) {
        BundleMeta meta = bundles.require(handle.id());
        String root = Rootfs.rootfsDir(bundles.dir(meta.id()));
        transport.extractTar(rootfs.resolveInside(root, path), tar);
    }

    @Override
    public InputStream copyOut(Handle handle, String path) {
        BundleMeta meta = bundles.require(handle.id());
        String root = Rootfs.rootfsDir(bundles.dir(meta.id()));
        String resolved = rootfs.resolveInside(root, path);
        if (!files.exists(resolved)) {
            throw BerthException.notFound("path " + path + " in " + meta.workload());
        }
        java.nio.file.Path p = java.nio.file.Path.of(resolved);
        Process tar = transport.start(List.of("tar", "-C", p.getParent().toString(), "-cf", "-", "--", p.getFileName().toString()));
        try {
            tar.getOutputStream().close();
        } catch (java.io.IOException e) {
            // tar reads no input
        }
        return tar.getInputStream();
    }

    @Override
    public void start(Handle handle) {
        BundleMeta meta = bundles.require(handle.id());
        if (!containers.freshlyCreated(meta.id())) { // else mounted and plugged in by this process a moment ago
            rootfs.ensureMounted(bundles.dir(meta.id()), images.require(meta.image()), meta.rootfs());
            factory.plugIfReserved(meta);
        }
        containers.start(meta);
    }

    @Override
    public void stop(Handle handle, Duration grace) {
        containers.stop(bundles.require(handle.id()), grace == null ? Duration.ofSeconds(10) : grace);
    }

    @Override
    public void kill(Handle handle, Signal signal) {
        containers.kill(bundles.require(handle.id()), signal);
    }

    @Override
    public void restart(Handle handle, Duration grace) {
        BundleMeta meta = bundles.require(handle.id());
        containers.stop(meta, grace == null ? Duration.ofSeconds(10) : grace);
        RunRecord run = bundles.run(meta.id());
        containers.recreate(meta);
        containers.start(meta);
        RunRecord started = bundles.run(meta.id());
        bundles.writeRun(meta.id(), new RunRecord(started.startedAt(), run.restartCount() + 1));
    }

    @Override
    public boolean remove(Handle handle) {
        Optional<BundleMeta> meta = bundles.meta(handle.id());
        if (meta.isEmpty()) {
            if (files.exists(bundles.dir(handle.id()))) {
                // A create that crashed before writing its metadata.
                files.deleteTree(bundles.dir(handle.id()));
                return true;
            }
            return false;
        }
        removeBundle(meta.get());
        return true;
    }

    /** Frees everything: runtime container, conmon's socket link, netns/veth/IP, overlay mount, bundle with log. */
    private void removeBundle(BundleMeta meta) {
        containers.delete(meta);
        stats.forget(meta.id());
        List<String> joined = List.of();
        if (fabric != null) {
            joined = fabric.attachment(meta.id()).map(a -> a.endpoints().stream().map(NetworkFabric.Endpoint::network).toList())
                    .orElse(List.of());
            fabric.release(meta.id());
        }
        String dir = bundles.dir(meta.id());
        rootfs.remove(dir);
        files.deleteTree(dir);
        hosts.refreshPeers(joined, meta.id());
        if (joined.contains(NetworkFabric.DEFAULT_NETWORK)) {
            releaseDefaultNetworkIfUnused();
        }
    }

    /**
     * The default network exists for workloads that name none: made by the first attach, removed
     * with the last one, so no bridge outlives the workloads that needed it.
     */
    private void releaseDefaultNetworkIfUnused() {
        if (!fabric.peers(NetworkFabric.DEFAULT_NETWORK).isEmpty()) {
            return;
        }
        try {
            fabric.removeNetwork(NetworkFabric.DEFAULT_NETWORK);
        } catch (BerthException e) {
            if (e.code() != ErrorCode.CONFLICT) {
                throw e; // a conflict means a workload joined meanwhile, and it keeps the network
            }
        }
    }

    private void removeQuietly(BundleMeta meta) {
        try {
            removeBundle(meta);
        } catch (RuntimeException e) {
            System.getLogger(OciBackend.class.getName()).log(System.Logger.Level.WARNING,
                    "cleaning up the failed create of " + meta.id() + " failed", e);
        }
    }

    @Override
    public BackendStatus inspect(Handle handle) {
        BundleMeta meta = bundles.require(handle.id());
        RunRecord run = bundles.run(meta.id());
        Optional<ExitRecord> exit = containers.status(meta.id()).exit();
        Optional<RuntimeState> state = exit.isPresent() ? Optional.empty() : containers.state(meta);
        WorkloadState ws;
        Integer pid = null;
        if (exit.isPresent()) {
            ws = WorkloadState.EXITED;
        } else if (state.isPresent() && state.get().running()) {
            ws = WorkloadState.RUNNING;
            pid = state.get().pid() > 0 ? state.get().pid() : null;
        } else if (state.isPresent() && state.get().status().equals("created")) {
            ws = WorkloadState.CREATED;
        } else {
            // Stopped (conmon is writing the exit file right now) or gone (the host rebooted).
            exit = containers.status(meta.id()).await(EXIT_SETTLE);
            ws = exit.isPresent() ? WorkloadState.EXITED : WorkloadState.FAILED;
        }
        var nets = new LinkedHashMap<String, String>();
        var ports = new ArrayList<PublishedPort>();
        String ip = null;
        if (fabric != null) {
            Optional<NetworkFabric.Attachment> a = fabric.attachment(meta.id());
            if (a.isPresent()) {
                a.get().endpoints().forEach(e -> nets.put(e.network(), e.ip()));
                a.get().ports().forEach(p -> ports.add(new PublishedPort(p.containerPort(), Protocol.parse(p.protocol()),
                        p.hostIp() == null ? "0.0.0.0" : p.hostIp(), p.hostPort())));
                ip = a.get().primaryIp();
            }
        }
        return new BackendStatus(ws, exit.map(ExitRecord::status).orElse(null), pid, ip, nets, ports, run.startedAt(),
                exit.map(ExitRecord::finishedAt).orElse(null), run.restartCount(), meta.labels());
    }

    @Override
    public Stream<LogLine> logs(Handle handle, LogQuery query) {
        BundleMeta meta = bundles.require(handle.id());
        return new LogReader(transport, bundles.dir(meta.id()), Containers.LOG_FILE, containers.status(meta.id())).read(query);
    }

    @Override
    public ExecResult exec(Handle handle, ExecRequest request) {
        List<String> argv = execArgv(handle, request.withTty(false).withStdin(false));
        HostCommands.Result r = transport.run(argv, null, EXEC_TIMEOUT);
        return new ExecResult(r.exitCode(), r.stdout(), r.stderr());
    }

    @Override
    public ExecSession execStream(Handle handle, ExecRequest request) {
        return new OciExecSession(transport.start(execArgv(handle, request)), request.stdin());
    }

    private List<String> execArgv(Handle handle, ExecRequest request) {
        BundleMeta meta = bundles.require(handle.id());
        Optional<RuntimeState> state = containers.state(meta);
        if (state.isEmpty() || !state.get().running() || containers.status(meta.id()).exit().isPresent()) {
            throw new BerthException(ErrorCode.CONFLICT, "workload " + meta.workload() + " is not running; exec needs a running workload");
        }
        String user = null;
        if (request.user() != null) {
            String root = Rootfs.rootfsDir(bundles.dir(meta.id()));
            ResolvedUser resolved = new Users(text(rootfs.resolveInside(root, "/etc/passwd")), text(rootfs.resolveInside(root, "/etc/group")))
                    .resolve(request.user(), "user");
            user = resolved.uid() + ":" + resolved.gid();
        }
        var env = new ArrayList<String>();
        request.env().forEach((k, v) -> env.add(k + "=" + v));
        return containers.runtime(meta).execArgv(meta.id(),
                new RuntimeCli.ExecOptions(user, List.of(), request.workingDir(), env, request.tty()), request.argv());
    }

    private String text(String path) {
        return files.read(path).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
    }

    @Override
    public Stats stats(Handle handle) {
        BundleMeta meta = bundles.require(handle.id());
        RuntimeState state = containers.state(meta).filter(RuntimeState::running).orElseThrow(() -> new BerthException(
                ErrorCode.CONFLICT, "workload " + meta.workload() + " is not running; stats need a running workload"));
        return stats.sample(containers.runtime(meta), meta.id(), state.pid());
    }

    @Override
    public Stream<Stats> statsStream(Handle handle) {
        BundleMeta meta = bundles.require(handle.id());
        var first = stats(handle);
        return Stream.iterate(first, s -> s != null, s -> {
            // Sampling at a fixed interval is what a stats stream is; the exit file cuts the wait short.
            try {
                if (containers.status(meta.id()).await(StatsReader.INTERVAL).isPresent()) {
                    return null;
                }
            } catch (BerthException e) {
                return null; // removed meanwhile: the stream ends, as it does at the exit
            }
            try {
                return stats(handle);
            } catch (BerthException e) {
                return null;
            }
        });
    }

    @Override
    public ExitStatus waitExit(Handle handle, Duration timeout) {
        BundleMeta meta = bundles.require(handle.id());
        return containers.status(meta.id()).await(timeout).map(ExitRecord::status).orElseThrow(() -> new BerthException(
                ErrorCode.TIMEOUT, name + ": " + meta.workload() + " still running after " + timeout));
    }

    @Override
    public List<OwnedResource> listOwned(String ownerId) {
        var out = new ArrayList<OwnedResource>();
        for (BundleMeta m : bundles.list()) {
            if (ownerId == null ? m.labels().containsKey(OwnerLabels.OWNER) : ownerId.equals(m.labels().get(OwnerLabels.OWNER))) {
                out.add(new OwnedResource(OwnedResource.Kind.WORKLOAD, m.id(), m.workload(), m.labels()));
            }
        }
        if (fabric != null) {
            for (NetworkFabric.BridgeNetwork n : fabric.networks()) {
                if (n.ownerId() != null && (ownerId == null || ownerId.equals(n.ownerId()))) {
                    out.add(new OwnedResource(OwnedResource.Kind.NETWORK, n.bridge(), n.name(),
                            Map.of(OwnerLabels.OWNER, n.ownerId(), OwnerLabels.NETWORK, n.name())));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            if (fabric != null) {
                fabric.close();
            }
            images.service().close();
        } finally {
            transport.close();
        }
    }
}
