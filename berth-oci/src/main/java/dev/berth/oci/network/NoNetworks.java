package dev.berth.oci.network;

import dev.berth.api.error.BerthException;
import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import dev.berth.api.spi.NetworkOps;
import dev.berth.api.spi.OwnerLabels;
import java.util.List;

/** Networks when no fabric could be opened: none exist, and creating one is unsupported with the reason. */
public final class NoNetworks implements NetworkOps {
    private final String backend;
    private final String reason;

    public NoNetworks(String backend, String reason) {
        this.backend = backend;
        this.reason = reason;
    }

    @Override
    public NetworkInfo ensure(NetworkSpec spec, OwnerLabels owner) {
        throw BerthException.unsupported("networks", backend, reason);
    }

    @Override
    public boolean remove(String name, String ownerId) {
        return false;
    }

    @Override
    public List<NetworkInfo> list() {
        return List.of();
    }
}
