package dev.berth.engine;

import dev.berth.api.client.BerthClient;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.BackendResource;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.model.Credentials;
import dev.berth.api.model.Event;
import dev.berth.api.model.EventType;
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
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.Handle;
import dev.berth.engine.backends.BackendRegistry;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.images.ImageRouter;
import dev.berth.engine.images.StoreImages;
import dev.berth.engine.recovery.LabelLookup;
import dev.berth.engine.recovery.Recovery;
import dev.berth.engine.store.OwnerId;
import dev.berth.engine.store.SqliteStateStore;
import dev.berth.engine.store.StateStore;
import dev.berth.engine.store.WorkloadRecord;
import dev.berth.engine.supervision.Supervisor;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * The in-process Berth engine: owns workload names, durable records and lifecycle rules, and
 * drives backends through the SPI. Every change is recorded before it is acted on; a workload's
 * real state always comes from its backend and is folded back into the record.
 */
public final class Engine implements BerthClient {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    /**
     * How long a record without a handle may be a create still running in another process (an
     * image pull, say) before reconcile treats it as a create that never happened.
     */
    public static final Duration IN_FLIGHT_GRACE = Duration.ofMinutes(15);

    private final EngineConfig config;
    private final StateStore store;
    private final BackendRegistry backends;
    private final String ownerId;
    private final NameLocks locks = new NameLocks();
    private final Networks networks;
    private final ImageRouter images;
    private final EventBus events;
    /** At most this many backend calls at once when listing (a docker connection each). */
    private static final int LIST_PARALLELISM = 16;
    private final Supervisor supervisor;
    private final BackendObserver observer;
    private final Provisioner provisioner;
    private final ReadinessGate readiness;
    private final Recovery recovery;

    Engine(EngineConfig config, List<BackendProvider> providers) {
        this.config = config;
        this.ownerId = OwnerId.loadOrCreate(config.dataDir());
        this.store = new SqliteStateStore(config.dataDir());
        this.events = new EventBus(store, Clock.systemUTC());
        this.backends = new BackendRegistry(providers, config.backendSettings(), config.defaultBackend(),
                Map.of(BackendProvider.DATA_DIR, config.dataDir().toString(), BackendProvider.OWNER_ID, ownerId));
        this.networks = new Networks(store, backends, ownerId);
        this.supervisor = new Supervisor(store, backends::get, locks::with, events, BackendObserver::fold, this::removeRecorded,
                this::probeAfterRestart);
        this.observer = new BackendObserver(store, backends, ownerId, locks, events, supervisor::watches);
        this.recovery = new Recovery(store, backends, config.detectionOrder(), ownerId, locks::with, BackendObserver::fold, events);
        this.images = new ImageRouter(new StoreImages(config.dataDir().resolve("images"), config.dataDir().resolve("tmp")),
                backends);
        this.provisioner = new Provisioner(config.dataDir().resolve("tmp"), store, backends, networks, images, ownerId, locks, events);
        this.readiness = new ReadinessGate(store, backends, locks, events, observer);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The id in the {@code dev.berth.owner} label of everything this engine creates. */
    public String ownerId() {
        return ownerId;
    }

    @Override
    public WorkloadStatus create(WorkloadSpec spec) {
        requireSupervisionFor(spec);
        WorkloadRecord created = provisioner.create(spec);
        supervisor.forgetAutoRemoved(spec.name());
        return status(created);
    }

    @Override
    public WorkloadStatus run(WorkloadSpec spec) {
        requireSupervisionFor(spec);
        WorkloadRecord record = provisioner.create(spec);
        supervisor.forgetAutoRemoved(spec.name());
        WorkloadRecord started;
        try {
            started = startRecord(record.name());
        } catch (RuntimeException e) {
            removeQuietly(record.name());
            throw e;
        }
        // A workload that started but never became ready is kept (FAILED), so its logs can be read.
        return recorded(readiness.await(started));
    }

    /**
     * Starts the workload. The status returned is the engine's record (state RUNNING, start time):
     * {@link #inspect} asks the backend for live details (pid, IP, ports), so a start costs the
     * runtime's own start call and one record write, nothing more.
     *
     * <p>With a readiness probe in the spec, start (and so {@link #run}) blocks until the probe
     * passes and returns state READY, as test authors expect of a started dependency. When the
     * probe's timeout passes first, the workload is left running, its record says FAILED with the
     * reason, and a {@code timeout} error is thrown; when it exits first, the record says EXITED
     * and a {@code conflict} error is thrown. Either way the caller stops or removes it.
     */
    @Override
    public WorkloadStatus start(String name) {
        return recorded(readiness.await(startRecord(name)));
    }

    private WorkloadRecord startRecord(String name) {
        return locks.with(name, () -> {
            WorkloadRecord record = record(name);
            Backend backend = backends.get(record.backend());
            Handle handle = handle(record, backend);
            try {
                backend.start(handle);
            } catch (RuntimeException e) {
                String reason = "start failed: " + e.getMessage();
                store.update(record.withState(WorkloadState.FAILED, reason));
                events.publish(name, EventType.FAILED, reason);
                throw e;
            }
            // A user's start is a fresh run: the restart budget and an earlier stop no longer apply.
            WorkloadRecord started = record.withHandle(handle.id()).started(Instant.now()).withRestartCount(0)
                    .withStoppedByUser(false);
            store.update(started);
            events.publish(name, EventType.STARTED, null);
            supervisor.watch(name);
            return started;
        });
    }

    @Override
    public WorkloadStatus stop(String name, Duration grace) {
        return locks.with(name, () -> {
            WorkloadRecord record = record(name);
            Backend backend = backends.get(record.backend());
            Handle handle = handle(record, backend);
            // Recorded first: no restart policy, now or after a restart of Berth, undoes a user's stop.
            WorkloadRecord stopping = record.withStoppedByUser(true);
            if (record.state().isActive()) {
                stopping = stopping.withState(WorkloadState.STOPPING, null);
            } else if (record.state() == WorkloadState.EXITED) {
                stopping = stopping.withState(WorkloadState.EXITED, null); // no "restarting in ..." any more
            }
            store.update(stopping);
            backend.stop(handle, grace == null ? DEFAULT_GRACE : grace);
            WorkloadStatus stopped = status(record(name));
            events.publish(name, EventType.STOPPED, null);
            return stopped;
        });
    }

    @Override
    public WorkloadStatus restart(String name, Duration grace) {
        return locks.with(name, () -> {
            WorkloadRecord record = record(name);
            Backend backend = backends.get(record.backend());
            backend.restart(handle(record, backend), grace == null ? DEFAULT_GRACE : grace);
            WorkloadRecord restarted = record.started(Instant.now()).withRestartCount(record.restartCount() + 1)
                    .withStoppedByUser(false);
            store.update(restarted);
            events.publish(name, EventType.RESTARTED, "restart " + restarted.restartCount() + " by the user");
            supervisor.watch(name);
            return recorded(restarted);
        });
    }

    @Override
    public WorkloadStatus kill(String name, Signal signal) {
        WorkloadRecord record = record(name);
        Backend backend = backends.get(record.backend());
        backend.kill(handle(record, backend), signal == null ? Signal.SIGKILL : signal);
        return status(record(name));
    }

    @Override
    public boolean remove(String name, boolean force) {
        boolean removed = locks.with(name, () -> {
            var found = store.get(name);
            if (found.isEmpty()) {
                return false;
            }
            WorkloadRecord record = force ? found.get() : observer.refresh(found.get());
            if (record.state().isActive() && !force) {
                throw new BerthException(ErrorCode.CONFLICT,
                        "workload '" + name + "' is " + record.state().name().toLowerCase() + "; stop it first or remove with force (rm -f)");
            }
            removeRecorded(record);
            return true;
        });
        supervisor.release(name);
        return removed;
    }

    /** A run a restart policy started: probed like a user's start; the verdict is recorded, the error dropped. */
    private void probeAfterRestart(WorkloadRecord restarted) {
        readiness.await(restarted);
    }

    /**
     * Under the name lock: the record, then the backend's resources; publishes {@code removed}.
     * In this order a crash in between leaves an owner-labelled resource that no record explains,
     * which the reaper removes (the daemon reaps at start); the other order would leave a record
     * of something that no longer exists. A removal the backend refuses puts the record back.
     */
    private void removeRecorded(WorkloadRecord record) {
        String name = record.name();
        Backend backend = backends.get(record.backend());
        Handle handle = record.handle() != null ? new Handle(backend.name(), record.handle())
                : LabelLookup.find(backend, ownerId, name, record.generation()).orElse(null);
        store.delete(name);
        try {
            if (handle != null) {
                backend.remove(handle);
            }
        } catch (RuntimeException e) {
            try {
                store.insert(record);
            } catch (RuntimeException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
        events.publish(name, EventType.REMOVED, null);
        observer.forget(name);
    }

    @Override
    public WorkloadStatus inspect(String name) {
        return status(record(name));
    }

    /**
     * Every record, with the backend's live view of those that may be running, asked in parallel.
     * While the engine supervises (the daemon), a settled record (created, exited, failed) is
     * already true: its watcher or the lifecycle call that settled it wrote it, so the backend is
     * not asked; without supervision every record is checked, as an exit may have gone unseen.
     */
    @Override
    public List<WorkloadStatus> list(boolean all) {
        boolean supervising = supervisor.supervising();
        var views = new ArrayList<Future<WorkloadStatus>>();
        var gate = new Semaphore(LIST_PARALLELISM);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (WorkloadRecord r : store.list()) {
                if (supervising && !r.state().isActive()) {
                    views.add(CompletableFuture.completedFuture(recorded(r)));
                } else {
                    views.add(pool.submit(() -> {
                        gate.acquire();
                        try {
                            return status(r);
                        } finally {
                            gate.release();
                        }
                    }));
                }
            }
        }
        var out = new ArrayList<WorkloadStatus>();
        for (var view : views) {
            WorkloadStatus s = view.resultNow();
            if (all || s.state().isActive()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * For a daemon shutting down with --stop-workloads-on-exit: ends supervision first (so no
     * restart policy reacts), then stops every active workload WITHOUT recording a user's stop,
     * so that always/unless-stopped workloads come back when supervision resumes.
     */
    public void stopAllForShutdown(Duration grace) {
        supervisor.close();
        for (WorkloadRecord r : store.list()) {
            if (!r.state().isActive()) {
                continue;
            }
            try {
                locks.with(r.name(), () -> {
                    Backend backend = backends.get(r.backend());
                    backend.stop(handle(record(r.name()), backend), grace == null ? DEFAULT_GRACE : grace);
                    return status(record(r.name()));
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot stop " + r.name() + " on shutdown", e);
            }
        }
    }

    @Override
    public Stream<LogLine> logs(String name, LogQuery query) {
        return withHandle(name, (b, h) -> b.logs(h, query));
    }

    @Override
    public ExecResult exec(String name, ExecRequest request) {
        return withHandle(name, (b, h) -> b.exec(h, request));
    }

    @Override
    public ExecSession execStream(String name, ExecRequest request) {
        return withHandle(name, (b, h) -> b.execStream(h, request));
    }

    @Override
    public Stats stats(String name) {
        return withHandle(name, Backend::stats);
    }

    @Override
    public Stream<Stats> statsStream(String name) {
        return withHandle(name, Backend::statsStream);
    }

    @Override
    public ExitStatus waitExit(String name, Duration timeout) {
        ExitStatus exit;
        try {
            exit = withHandle(name, (b, h) -> b.waitExit(h, timeout));
        } catch (BerthException e) {
            // Removed on its exit (autoRemove) before or while we waited: that exit is the answer.
            if (e.code() == ErrorCode.NOT_FOUND) {
                return locks.with(name, () -> supervisor.autoRemovedExit(name)).orElseThrow(() -> e);
            }
            throw e;
        }
        if (supervisor.watches(name)) {
            return exit; // the watcher records it, with its restart decision
        }
        locks.with(name, () -> {
            store.get(name).filter(r -> r.state() != WorkloadState.EXITED || !exit.equals(r.exit()))
                    .ifPresent(r -> {
                        WorkloadRecord exited = r.exited(exit, Instant.now());
                        store.update(exited);
                        events.changed(r, exited);
                    });
            return null;
        });
        return exit;
    }

    @Override
    public ImageInfo pullImage(String backend, String image, String platform, PullPolicy policy, Credentials credentials,
                               Consumer<PullProgress> progress) {
        return images.pull(backend, image, platform, policy, credentials, progress);
    }

    @Override
    public String pushImage(String image, Credentials credentials) {
        return images.push(image, credentials);
    }

    @Override
    public ImageDetails inspectImage(String backend, String image) {
        return images.inspect(backend, image);
    }

    @Override
    public void unpackImage(String image, Path dir) {
        images.unpack(image, dir);
    }

    @Override
    public List<ImageInfo> listImages(String backend) {
        return images.list(backend);
    }

    @Override
    public boolean removeImage(String backend, String image, boolean force) {
        return images.remove(backend, image, force);
    }

    @Override
    public List<String> pruneImages(String backend) {
        return images.prune(backend);
    }

    @Override
    public void tagImage(String backend, String source, String target) {
        images.tag(backend, source, target);
    }

    @Override
    public ImageInfo importImage(String backend, InputStream rootfsTar, String target, List<String> changes) {
        return images.importImage(backend, rootfsTar, target, changes);
    }

    @Override
    public ImageInfo importImage(String backend, Path source, String target, List<String> changes) {
        return images.importImage(backend, source, target, changes);
    }

    @Override
    public NetworkInfo createNetwork(String backend, NetworkSpec spec) {
        return networks.create(backend, spec);
    }

    @Override
    public boolean removeNetwork(String name) {
        return networks.remove(name);
    }

    @Override
    public List<NetworkInfo> listNetworks() {
        return networks.list();
    }

    @Override
    public Stream<Event> events(long sinceId, boolean follow) {
        return events.subscribe(sinceId, follow);
    }

    @Override
    public SystemInfo info() {
        String defaultName;
        try {
            defaultName = backends.defaultName();
        } catch (BerthException e) {
            defaultName = null;
        }
        return new SystemInfo(BerthVersion.VERSION, ownerId, config.dataDir().toString(), defaultName, backends.describe());
    }

    /** {@link #reconcile(Duration)} with {@link #IN_FLIGHT_GRACE}, safe while other processes create workloads. */
    @Override
    public ReconcileReport reconcile() {
        return reconcile(IN_FLIGHT_GRACE);
    }

    /**
     * Reconciles every record against its backend, each under its name lock. A record without a
     * handle and without a backend resource is removed once older than {@code inFlightGrace}
     * (zero when no other process can be creating, e.g. a daemon at start).
     */
    public ReconcileReport reconcile(Duration inFlightGrace) {
        return recovery.reconcile(inFlightGrace);
    }

    @Override
    public CleanupReport reap() {
        return recovery.reap();
    }

    @Override
    public Map<String, List<BackendResource>> foreignResources() {
        return recovery.foreignResources();
    }

    @Override
    public CleanupReport pruneOwner(String otherOwnerId) {
        return recovery.pruneOwner(otherOwnerId);
    }

    /**
     * Makes this engine watch its workloads, for a long-lived engine (the daemon); the CLI's
     * embedded engine does not call it. Each workload that may be running gets a virtual thread
     * blocked in the backend's wait: its exit is recorded (state, code, finish time) and published
     * as it happens, and the spec's restart policy is applied where the backend does not apply it
     * itself (Docker and Podman do). Workloads started later are watched from their start.
     * Workloads that exited while no engine watched are restarted per their policy now, unless
     * the user stopped them. Idempotent; the watchers end when their workload is removed or
     * stops for good, and at {@link #close}.
     */
    public void superviseWorkloads() {
        supervisor.superviseAll();
    }

    /** {@code autoRemove} needs someone to see the exit: a supervising engine (the daemon's). */
    private void requireSupervisionFor(WorkloadSpec spec) {
        if (spec.autoRemove() && !supervisor.supervising()) {
            throw new BerthException(ErrorCode.UNSUPPORTED, "autoRemove: needs an engine that supervises workloads (the daemon's); "
                    + "this one sees no exit once the call returns: run in the foreground with --rm, or through berth daemon",
                    "autoRemove", null);
        }
    }

    /** The workloads watched right now (see {@link #superviseWorkloads}). */
    public Set<String> supervisedWorkloads() {
        return supervisor.watched();
    }

    @Override
    public void close() {
        supervisor.close();
        events.close();
        images.close();
        backends.close();
        store.close();
    }

    private WorkloadRecord record(String name) {
        return observer.record(name);
    }

    private Handle handle(WorkloadRecord record, Backend backend) {
        return observer.handle(record, backend);
    }

    private <T> T withHandle(String name, BiFunction<Backend, Handle, T> action) {
        return observer.withHandle(name, action);
    }

    private WorkloadStatus status(WorkloadRecord record) {
        return observer.status(record);
    }

    private static WorkloadStatus recorded(WorkloadRecord r) {
        return BackendObserver.recorded(r);
    }

    private void removeQuietly(String name) {
        try {
            remove(name, true);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove workload " + name + " after a failed start", e);
        }
    }

    /** Assembles an engine; backends are opened lazily on first use. */
    public static final class Builder {
        private Path dataDir;
        private String defaultBackend;
        private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        private final List<BackendProvider> providers = new ArrayList<>();

        public Builder dataDir(Path value) { dataDir = value; return this; }
        public Builder defaultBackend(String value) { defaultBackend = value; return this; }
        public Builder provider(BackendProvider value) { providers.add(value); return this; }
        public Builder backendSettings(String backend, Map<String, String> values) { settings.put(backend, Map.copyOf(values)); return this; }

        public Engine build() {
            var order = providers.stream().map(BackendProvider::name).toList();
            var cfg = new EngineConfig(dataDir == null ? EngineConfig.defaultDataDir() : dataDir, defaultBackend, settings, order);
            return new Engine(cfg, List.copyOf(providers));
        }
    }
}
