package dev.berth.engine.testing;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.BackendInfo;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecResult;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.LogStream;
import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import dev.berth.api.model.Stats;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.RestartPolicy;
import dev.berth.api.spec.Signal;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.Capabilities;
import dev.berth.api.spi.CreateRequest;
import dev.berth.api.spi.Handle;
import dev.berth.api.spi.ImageOps;
import dev.berth.api.spi.NetworkOps;
import dev.berth.api.spi.OwnedResource;
import dev.berth.api.spi.OwnerLabels;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An in-memory runtime for the engine's tests: containers and networks with labels, which outlive
 * the engines that use them (as a real runtime outlives Berth). Its provider can be switched
 * off (backend unavailable), its create can "crash" the engine before or after creating, and its
 * owner filter can be made sloppy (prefix match) to prove the engine checks owners itself.
 *
 * <p>{@link #waitExit} blocks until the next exit, which a test causes with {@link #exit}. With
 * {@link Capabilities.Feature#RESTART_POLICY} in {@link #features} the fake restarts containers
 * itself on exit, with Docker's rules (a stop is final, a kill is not), as Docker and Podman do.
 * Container fields are guarded by the backend's monitor; read them through {@link #inspect}
 * while an engine's watchers run.
 */
public final class FakeBackend implements Backend {
    /** A process death, simulated: an Error that the engine's cleanup (which catches exceptions) lets through. */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash() {
            super("simulated crash");
        }
    }

    public enum Crash { NONE, BEFORE_CREATE, AFTER_CREATE, BEFORE_REMOVE }

    public static final class Container {
        public final String id;
        public final Map<String, String> labels;
        public WorkloadState state = WorkloadState.CREATED;
        public ExitStatus exit;
        /** Every start, by the engine or by the fake's own restart policy. */
        public int starts;
        /** Restarts the fake's own restart policy made. */
        public int restartCount;
        RestartPolicy policy = RestartPolicy.NO;
        int exits;
        int waiters;
        ExitStatus lastExit;
        Instant finishedAt;
        boolean stoppedByUser;

        Container(String id, Map<String, String> labels) {
            this.id = id;
            this.labels = Map.copyOf(labels);
        }
    }

    /** 2024-05-01T12:00:00Z, plus one millisecond per earlier exit of the container. */
    public static final Instant FIRST_FINISH = Instant.parse("2024-05-01T12:00:00Z");

    public final Map<String, Container> containers = new LinkedHashMap<>();
    public final Map<String, Map<String, String>> networks = new LinkedHashMap<>();
    public final List<String> removed = new ArrayList<>();
    public boolean available = true;
    public boolean sloppyOwnerFilter;
    public Crash crash = Crash.NONE;
    public boolean refuseRemove;
    public final Set<Capabilities.Feature> features = EnumSet.noneOf(Capabilities.Feature.class);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition exited = lock.newCondition();
    private final String name;
    private final AtomicInteger ids = new AtomicInteger();

    public FakeBackend(String name) {
        this.name = name;
    }

    public BackendProvider provider() {
        return new BackendProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Backend open(Map<String, String> config) {
                if (!available) {
                    throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, name + " is switched off");
                }
                return FakeBackend.this;
            }
        };
    }

    /** A container as a crashed engine (or another owner) would have left it. */
    public Container put(String owner, String workload, long generation) {
        return locked(() -> {
            var c = new Container("c" + ids.incrementAndGet(), new OwnerLabels(owner, workload, generation).asMap());
            containers.put(c.id, c);
            return c;
        });
    }

    public void putNetwork(String owner, String network) {
        var labels = new LinkedHashMap<>(new OwnerLabels(owner, null, 0).asMap());
        labels.put(OwnerLabels.NETWORK, network);
        networks.put(network, labels);
    }

    public Container byWorkload(String workload) {
        return locked(() -> containers.values().stream().filter(c -> workload.equals(c.labels.get(OwnerLabels.WORKLOAD)))
                .findFirst().orElseThrow());
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable action) {
        locked(() -> {
            action.run();
            return null;
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(Map.of(), locked(() -> Set.copyOf(features)));
    }

    @Override
    public BackendInfo info() {
        return new BackendInfo(name, true, "fake", "1", "1", "mem://" + name, List.of(), null);
    }

    @Override
    public ImageOps images() {
        throw new UnsupportedOperationException("the fake backend has every image");
    }

    @Override
    public NetworkOps networks() {
        return new NetworkOps() {
            @Override
            public NetworkInfo ensure(NetworkSpec spec, OwnerLabels owner) {
                if (!networks.containsKey(spec.name())) {
                    putNetwork(owner.ownerId(), spec.name());
                }
                return new NetworkInfo(spec.name(), name, "n-" + spec.name(), spec.internal(), spec.subnet(), null);
            }

            @Override
            public boolean remove(String network, String ownerId) {
                var labels = networks.get(network);
                if (labels == null) {
                    return false;
                }
                if (!ownerId.equals(labels.get(OwnerLabels.OWNER))) {
                    throw new BerthException(ErrorCode.CONFLICT, "network " + network + " is not owned by " + ownerId);
                }
                networks.remove(network);
                removed.add("network " + network);
                return true;
            }

            @Override
            public List<NetworkInfo> list() {
                return networks.keySet().stream().map(n -> new NetworkInfo(n, name, "n-" + n, false, null, null)).toList();
            }
        };
    }

    @Override
    public Handle create(CreateRequest request) {
        if (crash == Crash.BEFORE_CREATE) {
            throw new SimulatedCrash();
        }
        var c = new Container("c" + ids.incrementAndGet(), request.owner().asMap());
        c.policy = request.spec().restart() == null ? RestartPolicy.NO : request.spec().restart();
        locked(() -> containers.put(c.id, c));
        if (crash == Crash.AFTER_CREATE) {
            throw new SimulatedCrash();
        }
        return new Handle(name, c.id);
    }

    @Override
    public Optional<Handle> find(String ownerId, String workload) {
        return locked(() -> containers.values().stream()
                .filter(c -> ownerId.equals(c.labels.get(OwnerLabels.OWNER)) && workload.equals(c.labels.get(OwnerLabels.WORKLOAD)))
                .findFirst().map(c -> new Handle(name, c.id)));
    }

    private Container container(Handle handle) {
        Container c = locked(() -> containers.get(handle.id()));
        if (c == null) {
            throw BerthException.notFound("container " + handle.id());
        }
        return c;
    }

    @Override
    public void copyIn(Handle handle, String path, InputStream tar) {
        container(handle);
    }

    @Override
    public InputStream copyOut(Handle handle, String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void start(Handle handle) {
        Container c = container(handle);
        locked(() -> {
            c.stoppedByUser = false;
            run(c);
        });
    }

    private static void run(Container c) {
        c.state = WorkloadState.RUNNING;
        c.exit = null;
        c.starts++;
    }

    @Override
    public void stop(Handle handle, Duration grace) {
        Container c = container(handle);
        locked(() -> {
            c.stoppedByUser = true;
            if (c.state == WorkloadState.RUNNING) {
                exit(handle, 0);
            }
        });
    }

    @Override
    public void kill(Handle handle, Signal signal) {
        exit(handle, 128 + signal.number());
    }

    /** The container's main process ends with {@code code}; waiters wake up. */
    public void exit(Handle handle, int code) {
        Container c = container(handle);
        locked(() -> {
            c.state = WorkloadState.EXITED;
            c.exit = ExitStatus.ofCode(code);
            c.lastExit = c.exit;
            c.finishedAt = FIRST_FINISH.plusMillis(c.exits);
            c.exits++;
            if (features.contains(Capabilities.Feature.RESTART_POLICY) && restartsItself(c)) {
                c.restartCount++;
                run(c);
            }
            exited.signalAll();
        });
    }

    /** Docker's rules: a stop is final; on-failure counts its restarts against the limit. */
    private static boolean restartsItself(Container c) {
        return !c.stoppedByUser && switch (c.policy.policy()) {
            case NO -> false;
            case ALWAYS, UNLESS_STOPPED -> true;
            case ON_FAILURE -> c.exit.code() != 0 && (c.policy.maxRetries() == 0 || c.restartCount < c.policy.maxRetries());
        };
    }

    @Override
    public void restart(Handle handle, Duration grace) {
        start(handle);
    }

    @Override
    public boolean remove(Handle handle) {
        if (crash == Crash.BEFORE_REMOVE) {
            throw new SimulatedCrash();
        }
        if (refuseRemove) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "fake: remove refused");
        }
        boolean was = locked(() -> {
            boolean found = containers.remove(handle.id()) != null;
            if (found) {
                removed.add("workload " + handle.id());
                exited.signalAll();
            }
            return found;
        });
        return was;
    }

    @Override
    public BackendStatus inspect(Handle handle) {
        Container c = container(handle);
        return locked(() -> new BackendStatus(c.state, c.exit, c.state == WorkloadState.RUNNING ? 4242 : null, null, Map.of(),
                List.of(), null, c.exit == null ? null : c.finishedAt, c.restartCount, c.labels));
    }

    @Override
    public Stream<LogLine> logs(Handle handle, LogQuery query) {
        return Stream.of(new LogLine(LogStream.STDOUT, null, "hello from " + container(handle).id));
    }

    @Override
    public ExecResult exec(Handle handle, ExecRequest request) {
        return new ExecResult(0, "exec in " + container(handle).id, "");
    }

    @Override
    public ExecSession execStream(Handle handle, ExecRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Stats stats(Handle handle) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Stream<Stats> statsStream(Handle handle) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ExitStatus waitExit(Handle handle, Duration timeout) {
        Container c = container(handle);
        lock.lock();
        try {
            if (c.state != WorkloadState.RUNNING) {
                return c.exit == null ? ExitStatus.ofCode(0) : c.exit;
            }
            int seen = c.exits;
            long left = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
            c.waiters++;
            exited.signalAll();
            try {
                return awaitExit(c, seen, timeout, left);
            } finally {
                c.waiters--;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted while waiting for " + c.id, e);
        } finally {
            lock.unlock();
        }
    }

    /** Called holding the lock. */
    private ExitStatus awaitExit(Container c, int seen, Duration timeout, long left) throws InterruptedException {
        while (c.exits == seen) {
            if (!containers.containsKey(c.id)) {
                throw BerthException.notFound("container " + c.id);
            }
            if (left <= 0) {
                throw new BerthException(ErrorCode.TIMEOUT, c.id + " still running after " + timeout);
            }
            if (timeout == null) {
                exited.await();
            } else {
                left = exited.awaitNanos(left);
            }
        }
        return c.lastExit;
    }

    /** Blocks until someone waits for the container's exit (an engine's watcher, say). */
    public void awaitWaiter(String id) throws InterruptedException {
        lock.lock();
        try {
            while (containers.containsKey(id) && containers.get(id).waiters == 0) {
                exited.await();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<OwnedResource> listOwned(String ownerId) {
        lock.lock();
        try {
            return owned(ownerId);
        } finally {
            lock.unlock();
        }
    }

    private List<OwnedResource> owned(String ownerId) {
        var out = new ArrayList<OwnedResource>();
        containers.values().stream().filter(c -> matches(c.labels, ownerId))
                .forEach(c -> out.add(new OwnedResource(OwnedResource.Kind.WORKLOAD, c.id, c.labels.get(OwnerLabels.WORKLOAD), c.labels)));
        networks.forEach((n, labels) -> {
            if (matches(labels, ownerId)) {
                out.add(new OwnedResource(OwnedResource.Kind.NETWORK, "n-" + n, n, labels));
            }
        });
        return out;
    }

    private boolean matches(Map<String, String> labels, String ownerId) {
        String owner = labels.get(OwnerLabels.OWNER);
        if (owner == null) {
            return false;
        }
        return ownerId == null || (sloppyOwnerFilter ? owner.startsWith(ownerId) : owner.equals(ownerId));
    }

    @Override
    public void close() {
        // The runtime outlives the engines that talk to it.
    }
}
