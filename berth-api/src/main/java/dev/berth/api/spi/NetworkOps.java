package dev.berth.api.spi;

import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import java.util.List;

/** Network operations of one backend. Networks carry {@link OwnerLabels} like workloads. */
public interface NetworkOps {
    /** Creates the network if absent (idempotent); an existing one with other settings is a conflict. */
    NetworkInfo ensure(NetworkSpec spec, OwnerLabels owner);

    /**
     * Removes the network if it carries {@code ownerId}'s label; false when it was already gone.
     * A network of another owner (or none) is a conflict, never removed.
     */
    boolean remove(String name, String ownerId);

    List<NetworkInfo> list();
}
