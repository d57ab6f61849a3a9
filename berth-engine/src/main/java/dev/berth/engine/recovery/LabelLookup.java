package dev.berth.engine.recovery;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.Handle;
import dev.berth.api.spi.OwnedResource;
import dev.berth.api.spi.OwnerLabels;
import java.util.Optional;

/**
 * Finds the backend resource a record without a handle stands for (a crash between the backend's
 * create and the record update), by its labels: this owner, this workload and this generation.
 * A resource of the same workload but another generation is a leftover of an earlier workload of
 * that name, not this one's: it is never adopted (the reaper removes it).
 */
public final class LabelLookup {
    private LabelLookup() {
    }

    public static Optional<Handle> find(Backend backend, String ownerId, String workload, long generation) {
        Optional<Handle> found = backend.find(ownerId, workload);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String wanted = Long.toString(generation);
        try {
            if (wanted.equals(backend.inspect(found.get()).labels().get(OwnerLabels.GENERATION))) {
                return found;
            }
        } catch (BerthException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
        // find() returned another generation (or one removed meanwhile): look at every resource
        // of ours for the exact one, in case the backend allows several per workload.
        return backend.listOwned(ownerId).stream()
                .filter(r -> r.kind() == OwnedResource.Kind.WORKLOAD && ownerId.equals(r.owner())
                        && workload.equals(r.workload()) && wanted.equals(r.labels().get(OwnerLabels.GENERATION)))
                .findFirst()
                .map(r -> new Handle(backend.name(), r.id()));
    }
}
