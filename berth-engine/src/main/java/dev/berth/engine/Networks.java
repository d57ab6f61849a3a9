package dev.berth.engine;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.engine.backends.BackendRegistry;
import dev.berth.engine.store.NetworkRecord;
import dev.berth.engine.store.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Networks are Berth objects: recorded by the engine, realised on a backend when created and
 * again when a workload on another backend first joins them, removed from every backend together.
 */
final class Networks {
    private final StateStore store;
    private final BackendRegistry backends;
    private final OwnerLabels owner;

    Networks(StateStore store, BackendRegistry backends, String ownerId) {
        this.store = store;
        this.backends = backends;
        this.owner = new OwnerLabels(ownerId, null, 0);
    }

    NetworkInfo create(String backendName, NetworkSpec spec) {
        Backend backend = backends.get(backendName);
        var record = new NetworkRecord(spec.name(), backend.name(), spec.internal(), spec.subnet(), Instant.now());
        if (!store.insertNetwork(record)) {
            throw new BerthException(ErrorCode.NAME_IN_USE, "network '" + spec.name() + "' already exists", "name", null);
        }
        try {
            return backend.networks().ensure(spec, owner);
        } catch (RuntimeException e) {
            store.deleteNetwork(spec.name());
            throw e;
        }
    }

    /** Fails unless the network was created with {@code berth network create}. */
    void require(String name) {
        if (store.getNetwork(name).isEmpty()) {
            throw new BerthException(ErrorCode.NOT_FOUND,
                    "network '" + name + "' not found; create it with: berth network create " + name, "networks", null);
        }
    }

    void realise(String name, Backend backend) {
        NetworkRecord r = store.getNetwork(name).orElseThrow(() -> BerthException.notFound("network '" + name + "'"));
        backend.networks().ensure(new NetworkSpec(r.name(), r.internal(), r.subnet()), owner);
    }

    boolean remove(String name) {
        var record = store.getNetwork(name);
        if (record.isEmpty()) {
            return false;
        }
        var users = store.list().stream().filter(w -> w.spec().networks().contains(name)).map(w -> w.name()).toList();
        if (!users.isEmpty()) {
            throw new BerthException(ErrorCode.CONFLICT,
                    "network '" + name + "' is used by workloads " + String.join(", ", users) + "; remove them first");
        }
        backends.get(record.get().backend()).networks().remove(name, owner.ownerId());
        for (Backend b : backends.opened()) {
            if (!b.name().equals(record.get().backend())) {
                b.networks().remove(name, owner.ownerId());
            }
        }
        store.deleteNetwork(name);
        return true;
    }

    List<NetworkInfo> list() {
        var out = new ArrayList<NetworkInfo>();
        for (NetworkRecord r : store.listNetworks()) {
            NetworkInfo real = null;
            try {
                real = backends.get(r.backend()).networks().list().stream()
                        .filter(n -> n.name().equals(r.name())).findFirst().orElse(null);
            } catch (BerthException e) {
                // Backend unreachable: show the record alone.
            }
            out.add(real != null ? real : new NetworkInfo(r.name(), r.backend(), null, r.internal(), r.subnet(), null));
        }
        return out;
    }
}
