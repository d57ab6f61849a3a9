package dev.berth.oci.network;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import dev.berth.api.spi.NetworkOps;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.net.NetworkFabric;
import java.util.List;
import java.util.Objects;

/** Berth networks as bridges of the network fabric, carrying the owner id like every other resource. */
public final class OciNetworks implements NetworkOps {
    private final String backend;
    private final NetworkFabric fabric;

    public OciNetworks(String backend, NetworkFabric fabric) {
        this.backend = backend;
        this.fabric = fabric;
    }

    @Override
    public NetworkInfo ensure(NetworkSpec spec, OwnerLabels owner) {
        if (spec.subnet() != null) {
            throw BerthException.unsupported("subnet", backend, "the network fabric allocates each network's subnet itself");
        }
        return info(fabric.ensureNetwork(spec.name(), spec.internal(), owner.ownerId()));
    }

    @Override
    public boolean remove(String name, String ownerId) {
        var network = fabric.network(name);
        if (network.isEmpty()) {
            return false;
        }
        if (!Objects.equals(network.get().ownerId(), ownerId)) {
            throw new BerthException(ErrorCode.CONFLICT, backend + ": network '" + name + "' belongs to owner "
                    + network.get().ownerId() + ", not " + ownerId + "; it is left alone");
        }
        return fabric.removeNetwork(name);
    }

    @Override
    public List<NetworkInfo> list() {
        return fabric.networks().stream().map(this::info).toList();
    }

    private NetworkInfo info(NetworkFabric.BridgeNetwork n) {
        return new NetworkInfo(n.name(), backend, n.bridge(), n.internal(), n.subnet(), n.gateway());
    }
}
