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
import dev.berth.api.spec.ImageRef;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spec.Readiness;
import dev.berth.api.spec.Signal;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.CreateRequest;
import dev.berth.api.spi.Handle;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.engine.archive.StagedFiles;
import dev.berth.engine.backends.BackendRegistry;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.images.StoreImages;
import dev.berth.engine.readiness.ReadinessOutcome;
import dev.berth.engine.readiness.ReadinessProbe;
import dev.berth.engine.readiness.ReadinessWaiter;
import dev.berth.engine.recovery.AvailableBackends;
import dev.berth.engine.recovery.ForeignOwners;
import dev.berth.engine.recovery.LabelLookup;
import dev.berth.engine.recovery.Reaper;
import dev.berth.engine.recovery.Reconciler;
import dev.berth.engine.store.SqliteStateStore;
import dev.berth.engine.store.OwnerId;
import dev.berth.engine.store.StateStore;
import dev.berth.engine.store.WorkloadRecord;
import dev.berth.engine.supervision.Supervisor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The in-process Berth engine: owns workload names, durable records and lifecycle rules, and
 * drives backends through the SPI. Every change is recorded before it is acted on; a workload's
 * real state always comes from its backend and is folded back into the record.
 */
public final class Engine implements BerthClient {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    /** How readiness verdicts' messages start; merge keeps such a FAILED while the workload runs. */
    private static final String READINESS = ReadinessWaiter.FAILURE_PREFIX;
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
    private final StoreImages storeImages;
    private final EventBus events;
    private final Supervisor supervisor;

    Engine(EngineConfig config, List<BackendProvider> providers) {
        this.config = config;
        this.ownerId = OwnerId.loadOrCreate(config.dataDir());
        this.store = new SqliteStateStore(config.dataDir());
        this.events = new EventBus(store, Clock.systemUTC());
        this.backends = new BackendRegistry(providers, config.backendSettings(), config.defaultBackend(),
                Map.of(BackendProvider.DATA_DIR, config.dataDir().toString(), BackendProvider.OWNER_ID, ownerId));
        this.networks = new Networks(store, backends, ownerId);
        this.supervisor = new Supervisor(store, backends::get, locks::with, events, Engine::merge);
        this.storeImages = new StoreImages(config.dataDir().resolve("images"), config.dataDir().resolve("tmp"));
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
        return status(createRecord(spec));
    }

    @Override
    public WorkloadStatus run(WorkloadSpec spec) {
        WorkloadRecord record = createRecord(spec);
        WorkloadRecord started;
        try {
            started = startRecord(record.name());
        } catch (RuntimeException e) {
            removeQuietly(record.name());
            throw e;
        }
        // A workload that started but never became ready is kept (FAILED), so its logs can be read.
        return recorded(awaitReady(started));
    }

    private WorkloadRecord createRecord(WorkloadSpec spec) {
        spec.validate();
        Backend backend = backends.get(spec.backend() == null ? null : spec.backend().wire());
        backend.capabilities().check(spec, backend.name());
        spec.networks().forEach(networks::require);
        try (StagedFiles files = StagedFiles.stage(spec.files(), config.dataDir().resolve("tmp"))) {
            long generation = store.nextGeneration();
            var record = WorkloadRecord.created(spec.name(), spec, backend.name(), generation, Instant.now(), "creating");
            // Locked from the insert on, so that an in-process reconcile never sees the record half-made.
            return locks.with(spec.name(), () -> {
                if (!store.insert(record)) {
                    throw new BerthException(ErrorCode.NAME_IN_USE,
                            "workload name '" + spec.name() + "' is already in use; remove it first or choose another name", "name", null);
                }
                WorkloadRecord created = provision(backend, record, files);
                events.publish(created.name(), EventType.CREATED, "image " + spec.image() + " on " + backend.name());
                return created;
            });
        }
    }

    private WorkloadRecord provision(Backend backend, WorkloadRecord record, StagedFiles files) {
        WorkloadSpec spec = record.spec();
        Handle handle = null;
        try {
            for (String net : spec.networks()) {
                networks.realise(net, backend);
            }
            handle = createPulling(backend, record);
            WorkloadRecord created = record.withHandle(handle.id()).withState(WorkloadState.CREATED, null);
            store.update(created);
            for (Path tar : files.tars()) {
                try (InputStream in = Files.newInputStream(tar)) {
                    backend.copyIn(handle, "/", in);
                }
            }
            return created;
        } catch (RuntimeException | java.io.IOException e) {
            if (handle != null) {
                removeBackendQuietly(backend, handle);
            }
            store.delete(record.name());
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new BerthException(ErrorCode.INTERNAL, "cannot copy files into " + record.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the backend resource, pulling the image per the pull policy. Like the docker CLI, an
     * image that may be pulled is looked for by trying the create, which saves a round trip.
     */
    private Handle createPulling(Backend backend, WorkloadRecord record) {
        WorkloadSpec spec = record.spec();
        ImageRef image = ImageRef.parse(spec.image());
        var request = new CreateRequest(spec, new OwnerLabels(ownerId, spec.name(), record.generation()), environment(spec, backend));
        if (spec.pullPolicy() == PullPolicy.ALWAYS) {
            backend.images().pull(image, PullPolicy.ALWAYS, null, p -> { });
        }
        try {
            return backend.create(request);
        } catch (BerthException e) {
            if (e.code() != ErrorCode.IMAGE_NOT_FOUND) {
                throw e;
            }
            var stored = storeImages.find(spec.image());
            if (stored.isPresent()) {
                storeImages.loadInto(backend, stored.get(), spec.image());
            } else {
                backend.images().pull(image, spec.pullPolicy(), null, p -> { });
            }
            return backend.create(request);
        }
    }

    /** The spec's env, with localhost URLs pointed at the host alias when the workload asked for host access. */
    private static Map<String, String> environment(WorkloadSpec spec, Backend backend) {
        String alias = backend.hostAlias();
        if (!spec.hostAccess() || alias == null) {
            return spec.env();
        }
        var env = new LinkedHashMap<String, String>();
        spec.env().forEach((k, v) -> env.put(k, v.replace("://localhost", "://" + alias).replace("://127.0.0.1", "://" + alias)));
        return env;
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
        return recorded(awaitReady(startRecord(name)));
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

    /**
     * Probes a just-started workload outside its name lock (so stop and remove still work while
     * it waits), then records the verdict unless the workload was changed meanwhile.
     */
    private WorkloadRecord awaitReady(WorkloadRecord started) {
        Readiness readiness = started.spec().readiness();
        if (readiness == null) {
            return started;
        }
        Backend backend = backends.get(started.backend());
        Handle handle = new Handle(backend.name(), started.handle());
        ReadinessOutcome outcome;
        String probeName;
        try (ReadinessProbe probe = ReadinessProbe.of(readiness, backend, handle)) {
            probeName = probe.describe();
            outcome = ReadinessWaiter.standard().await(probe, () -> backend.inspect(handle), readiness.timeoutDuration());
        }
        BackendStatus bs = outcome.status();
        String reason = switch (outcome) {
            case ReadinessOutcome.Ready r -> null;
            case ReadinessOutcome.Exited e -> READINESS + "workload exited" + (bs.exit() == null ? "" : " with code " + bs.exit().code())
                    + " before " + probeName + " was ready";
            case ReadinessOutcome.TimedOut t -> READINESS + probeName + " not ready after "
                    + (readiness.timeout() == null ? Readiness.DEFAULT_TIMEOUT.toSeconds() + "s" : readiness.timeout()) + ": " + t.lastError() + " (the workload is left running)";
        };
        WorkloadRecord verdict = locks.with(started.name(), () -> store.get(started.name())
                .filter(r -> started.handle().equals(r.handle()) && r.state() == WorkloadState.RUNNING)
                .map(r -> {
                    WorkloadRecord v = switch (outcome) {
                        case ReadinessOutcome.Ready ready -> r.withStartedAt(bs.startedAt()).withState(WorkloadState.READY, null);
                        case ReadinessOutcome.Exited e -> r.exited(bs.exit(), bs.finishedAt() == null ? Instant.now() : bs.finishedAt())
                                .withState(WorkloadState.EXITED, reason);
                        case ReadinessOutcome.TimedOut t -> r.withStartedAt(bs.startedAt()).withState(WorkloadState.FAILED, reason);
                    };
                    store.update(v);
                    switch (outcome) {
                        case ReadinessOutcome.Ready ready -> events.publish(v.name(), EventType.READY, probeName);
                        case ReadinessOutcome.Exited e -> events.publish(v.name(), EventType.EXITED, EventBus.describe(v.exit()));
                        case ReadinessOutcome.TimedOut t -> events.publish(v.name(), EventType.FAILED, reason);
                    }
                    return v;
                })
                .orElseGet(() -> record(started.name())));
        return switch (outcome) {
            case ReadinessOutcome.Ready r -> verdict;
            case ReadinessOutcome.Exited e -> throw new BerthException(ErrorCode.CONFLICT, reason, "readiness", null);
            case ReadinessOutcome.TimedOut t -> throw new BerthException(ErrorCode.TIMEOUT, reason, "readiness", null);
        };
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
            WorkloadRecord record = force ? found.get() : refresh(found.get());
            if (record.state().isActive() && !force) {
                throw new BerthException(ErrorCode.CONFLICT,
                        "workload '" + name + "' is " + record.state().name().toLowerCase() + "; stop it first or remove with force (rm -f)");
            }
            Backend backend = backends.get(record.backend());
            Handle handle = record.handle() != null ? new Handle(backend.name(), record.handle())
                    : LabelLookup.find(backend, ownerId, name, record.generation()).orElse(null);
            if (handle != null) {
                backend.remove(handle);
            }
            store.delete(name);
            events.publish(name, EventType.REMOVED, null);
            return true;
        });
        supervisor.release(name);
        return removed;
    }

    @Override
    public WorkloadStatus inspect(String name) {
        return status(record(name));
    }

    @Override
    public List<WorkloadStatus> list(boolean all) {
        var out = new ArrayList<WorkloadStatus>();
        for (WorkloadRecord r : store.list()) {
            WorkloadStatus s = status(r);
            if (all || s.state().isActive()) {
                out.add(s);
            }
        }
        return out;
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
        ExitStatus exit = withHandle(name, (b, h) -> b.waitExit(h, timeout));
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
        if (backend == null) {
            return storeImages.pull(image, platform, policy, credentials, progress);
        }
        if (platform != null) {
            throw BerthException.unsupported("platform", backend, "engines pull for their own platform");
        }
        return backends.get(backend).images().pull(ImageRef.parse(image), policy == null ? PullPolicy.ALWAYS : policy,
                credentials, progress == null ? p -> { } : progress);
    }

    @Override
    public String pushImage(String image, Credentials credentials) {
        return storeImages.push(image, credentials);
    }

    @Override
    public ImageDetails inspectImage(String backend, String image) {
        return backend == null ? storeImages.inspect(image) : backends.get(backend).images().inspect(image);
    }

    @Override
    public void unpackImage(String image, Path dir) {
        storeImages.unpack(image, dir);
    }

    @Override
    public List<ImageInfo> listImages(String backend) {
        return backend == null ? storeImages.list() : backends.get(backend).images().list();
    }

    @Override
    public boolean removeImage(String backend, String image, boolean force) {
        return backend == null ? storeImages.remove(image) : backends.get(backend).images().remove(image, force);
    }

    @Override
    public List<String> pruneImages(String backend) {
        return backend == null ? storeImages.prune() : backends.get(backend).images().prune();
    }

    @Override
    public void tagImage(String backend, String source, String target) {
        if (backend == null) {
            storeImages.tag(source, target);
        } else {
            backends.get(backend).images().tag(source, ImageRef.parse("target", target));
        }
    }

    @Override
    public ImageInfo importImage(String backend, InputStream rootfsTar, String target, List<String> changes) {
        if (backend == null) {
            return storeImages.importFrom(rootfsTar, target, changes);
        }
        return backends.get(backend).images().importRootfs(rootfsTar, ImageRef.parse("target", target),
                changes == null ? List.of() : changes);
    }

    @Override
    public ImageInfo importImage(String backend, Path source, String target, List<String> changes) {
        if (backend == null) {
            return storeImages.importFrom(source, target, changes);
        }
        if (Files.isDirectory(source)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "importing a directory needs Berth's image store: leave out --backend, or pass a tarball");
        }
        try (InputStream in = Files.newInputStream(source)) {
            return importImage(backend, in, target, changes);
        } catch (java.io.IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read " + source + ": " + e.getMessage(), e);
        }
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
        var reconciler = new Reconciler(store, backends::get, ownerId, Engine::merge, events, Clock.systemUTC());
        var outcomes = new ArrayList<ReconcileReport.WorkloadOutcome>();
        for (WorkloadRecord r : store.list()) {
            locks.with(r.name(), () -> reconciler.reconcile(r.name(), inFlightGrace)).ifPresent(outcomes::add);
        }
        return ReconcileReport.of(outcomes);
    }

    @Override
    public CleanupReport reap() {
        return new Reaper(store, ownerId, locks::with).reap(availableBackends());
    }

    @Override
    public Map<String, List<BackendResource>> foreignResources() {
        return new ForeignOwners(ownerId).list(availableBackends());
    }

    @Override
    public CleanupReport pruneOwner(String otherOwnerId) {
        return new ForeignOwners(ownerId).prune(otherOwnerId, availableBackends());
    }

    private AvailableBackends availableBackends() {
        return AvailableBackends.open(backends, config.detectionOrder());
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

    /** The workloads watched right now (see {@link #superviseWorkloads}). */
    public java.util.Set<String> supervisedWorkloads() {
        return supervisor.watched();
    }

    @Override
    public void close() {
        supervisor.close();
        events.close();
        storeImages.close();
        backends.close();
        store.close();
    }

    private WorkloadRecord record(String name) {
        return store.get(name).orElseThrow(() -> BerthException.notFound("workload '" + name + "'"));
    }

    private Handle handle(WorkloadRecord record, Backend backend) {
        if (record.handle() != null) {
            return new Handle(backend.name(), record.handle());
        }
        // A crash between the backend's create and the record update: the labels find it.
        Handle found = LabelLookup.find(backend, ownerId, record.name(), record.generation()).orElseThrow(() -> new BerthException(ErrorCode.CONFLICT,
                "workload '" + record.name() + "' was never created on backend " + backend.name() + "; remove it and create it again"));
        store.update(record.withHandle(found.id()));
        return found;
    }

    private <T> T withHandle(String name, java.util.function.BiFunction<Backend, Handle, T> action) {
        WorkloadRecord record = record(name);
        Backend backend = backends.get(record.backend());
        return action.apply(backend, handle(record, backend));
    }

    /** Folds the backend's reality into the record (persisting changes) and returns the record. */
    private WorkloadRecord refresh(WorkloadRecord record) {
        return observe(record).record();
    }

    private Observed observe(WorkloadRecord record) {
        Backend backend;
        try {
            backend = backends.get(record.backend());
        } catch (BerthException e) {
            return new Observed(record, null);
        }
        if (record.handle() == null) {
            var found = LabelLookup.find(backend, ownerId, record.name(), record.generation());
            if (found.isEmpty()) {
                return new Observed(record, null);
            }
            record = record.withHandle(found.get().id());
            store.update(record);
        }
        BackendStatus bs;
        try {
            bs = backend.inspect(new Handle(backend.name(), record.handle()));
        } catch (BerthException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            WorkloadRecord lost = record.state() == WorkloadState.FAILED ? record : persist(record, record.withState(WorkloadState.FAILED, Reconciler.LOST));
            return new Observed(lost, null);
        }
        WorkloadRecord updated = merge(record, bs);
        return new Observed(updated.equals(record) ? record : persist(record, updated), bs);
    }

    /**
     * Stores what a read learnt from the backend and publishes what it revealed (an exit, a loss),
     * unless the record changed since it was read or a lifecycle call on the workload is in
     * flight: that call records its own outcome, and a read must not wait for it. A watched
     * workload's exits are the watcher's to record (with its restart decision in the same write),
     * so a plain read only shows them; a lifecycle call (holding the name lock) still records.
     */
    private WorkloadRecord persist(WorkloadRecord seen, WorkloadRecord folded) {
        if (!locks.heldByCurrentThread(seen.name()) && supervisor.watches(seen.name())) {
            return folded;
        }
        return locks.tryWith(seen.name(), () -> {
            if (store.get(seen.name()).filter(seen::equals).isPresent()) {
                store.update(folded);
                events.changed(seen, folded);
            }
            return folded;
        }).orElse(folded);
    }

    private static WorkloadRecord merge(WorkloadRecord record, BackendStatus bs) {
        WorkloadRecord r = record.withStartedAt(bs.startedAt());
        return switch (bs.state()) {
            case EXITED -> r.state() == WorkloadState.EXITED && bs.exit() != null && bs.exit().equals(r.exit())
                    && java.util.Objects.equals(bs.finishedAt(), r.finishedAt())
                    ? r : r.exited(bs.exit(), bs.finishedAt() == null ? Instant.now() : bs.finishedAt());
            // READY and a readiness failure are verdicts on this run that the backend cannot know about.
            // A backend that applies restart policies counts its own restarts.
            case RUNNING, READY -> (r.state() == WorkloadState.RUNNING || r.state() == WorkloadState.READY || readinessFailed(r)
                    ? r : r.started(bs.startedAt() == null ? Instant.now() : bs.startedAt()))
                    .withRestartCount(Math.max(r.restartCount(), bs.restartCount()));
            case CREATED -> r.state() == WorkloadState.CREATED && r.message() == null ? r : r.withState(WorkloadState.CREATED, null);
            default -> r.state() == bs.state() ? r : r.withState(bs.state(), r.message());
        };
    }

    private static boolean readinessFailed(WorkloadRecord r) {
        return r.state() == WorkloadState.FAILED && r.message() != null && r.message().startsWith(READINESS);
    }

    /** The record alone, without asking the backend (what a lifecycle call just made true). */
    private static WorkloadStatus recorded(WorkloadRecord r) {
        return new WorkloadStatus(r.name(), r.backend(), r.handle(), r.spec().image(), r.state(), r.exit(), null, null,
                Map.of(), List.of(), r.createdAt(), r.startedAt(), r.finishedAt(), r.restartCount(), r.generation(), Map.of(),
                r.message());
    }

    /** The user's view: the record refreshed from the backend (one inspect call). */
    private WorkloadStatus status(WorkloadRecord record) {
        Observed o = observe(record);
        WorkloadRecord r = o.record();
        BackendStatus bs = o.status();
        return new WorkloadStatus(r.name(), r.backend(), r.handle(), r.spec().image(), r.state(), r.exit(),
                bs == null ? null : bs.pid(), bs == null ? null : bs.ip(), bs == null ? Map.of() : bs.networks(),
                bs == null ? List.of() : bs.ports(), r.createdAt(), r.startedAt(), r.finishedAt(),
                Math.max(r.restartCount(), bs == null ? 0 : bs.restartCount()), r.generation(),
                bs == null ? Map.of() : bs.labels(), r.message());
    }

    private void removeQuietly(String name) {
        try {
            remove(name, true);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove workload " + name + " after a failed start", e);
        }
    }

    private static void removeBackendQuietly(Backend backend, Handle handle) {
        try {
            backend.remove(handle);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove " + handle + " after a failed create", e);
        }
    }

    private record Observed(WorkloadRecord record, BackendStatus status) {
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
