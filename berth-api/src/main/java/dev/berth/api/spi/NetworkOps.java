package dev.berth.api.spi;

import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import java.util.List;

/** Network operations of one backend. Networks carry {@link OwnerLabels} like workloads. */
public interface NetworkOps {
    /** Creates the network if absent (idempotent); an existing one with other settings is a conflict. */
    NetworkInfo ensure(NetworkSpec spec, OwnerLabels owner);

    /** Removes the network; false when it was already gone. */
    boolean remove(String name);

    List<NetworkInfo> list();
}
