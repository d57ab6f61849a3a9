package dev.berth.engine.recovery;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An in-memory runtime for the recovery logic: containers and networks with labels, which outlive
 * the engines that use them (as a real runtime outlives Berth). Its provider can be switched
 * off (backend unavailable), its create can "crash" the engine before or after creating, and its
 * owner filter can be made sloppy (prefix match) to prove the engine checks owners itself.
 */
final class FakeBackend implements Backend {
    /** A process death, simulated: an Error that the engine's cleanup (which catches exceptions) lets through. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash");
        }
    }

    enum Crash { NONE, BEFORE_CREATE, AFTER_CREATE }

    static final class Container {
        final String id;
        final Map<String, String> labels;
        WorkloadState state = WorkloadState.CREATED;
        ExitStatus exit;

        Container(String id, Map<String, String> labels) {
            this.id = id;
            this.labels = Map.copyOf(labels);
        }
    }

    final Map<String, Container> containers = new LinkedHashMap<>();
    final Map<String, Map<String, String>> networks = new LinkedHashMap<>();
    final List<String> removed = new ArrayList<>();
    boolean available = true;
    boolean sloppyOwnerFilter;
    Crash crash = Crash.NONE;
    private final String name;
    private final AtomicInteger ids = new AtomicInteger();

    FakeBackend(String name) {
        this.name = name;
    }

    BackendProvider provider() {
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
    Container put(String owner, String workload, long generation) {
        var c = new Container("c" + ids.incrementAndGet(), new OwnerLabels(owner, workload, generation).asMap());
        containers.put(c.id, c);
        return c;
    }

    void putNetwork(String owner, String network) {
        var labels = new LinkedHashMap<>(new OwnerLabels(owner, null, 0).asMap());
        labels.put(OwnerLabels.NETWORK, network);
        networks.put(network, labels);
    }

    Container byWorkload(String workload) {
        return containers.values().stream().filter(c -> workload.equals(c.labels.get(OwnerLabels.WORKLOAD))).findFirst()
                .orElseThrow();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(Map.of(), Set.of());
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
        containers.put(c.id, c);
        if (crash == Crash.AFTER_CREATE) {
            throw new SimulatedCrash();
        }
        return new Handle(name, c.id);
    }

    @Override
    public Optional<Handle> find(String ownerId, String workload) {
        return containers.values().stream()
                .filter(c -> ownerId.equals(c.labels.get(OwnerLabels.OWNER)) && workload.equals(c.labels.get(OwnerLabels.WORKLOAD)))
                .findFirst().map(c -> new Handle(name, c.id));
    }

    private Container container(Handle handle) {
        Container c = containers.get(handle.id());
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
        c.state = WorkloadState.RUNNING;
        c.exit = null;
    }

    @Override
    public void stop(Handle handle, Duration grace) {
        exit(handle, 0);
    }

    @Override
    public void kill(Handle handle, Signal signal) {
        exit(handle, 128 + signal.number());
    }

    void exit(Handle handle, int code) {
        Container c = container(handle);
        c.state = WorkloadState.EXITED;
        c.exit = ExitStatus.ofCode(code);
    }

    @Override
    public void restart(Handle handle, Duration grace) {
        start(handle);
    }

    @Override
    public boolean remove(Handle handle) {
        boolean was = containers.remove(handle.id()) != null;
        if (was) {
            removed.add("workload " + handle.id());
        }
        return was;
    }

    @Override
    public BackendStatus inspect(Handle handle) {
        Container c = container(handle);
        return new BackendStatus(c.state, c.exit, c.state == WorkloadState.RUNNING ? 4242 : null, null, Map.of(), List.of(),
                null, c.exit == null ? null : Instant.parse("2024-05-01T12:00:00Z"), 0, c.labels);
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
        if (c.exit == null) {
            throw new BerthException(ErrorCode.TIMEOUT, "the fake backend does not wait");
        }
        return c.exit;
    }

    @Override
    public List<OwnedResource> listOwned(String ownerId) {
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
