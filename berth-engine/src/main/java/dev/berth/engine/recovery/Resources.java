package dev.berth.engine.recovery;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.BackendResource;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.Handle;
import dev.berth.api.spi.OwnedResource;
import dev.berth.api.spi.OwnerLabels;

/** Labelled backend resources: their public description and their removal. */
final class Resources {
    private Resources() {
    }

    static BackendResource describe(String backend, OwnedResource r) {
        return new BackendResource(backend, BackendResource.Kind.valueOf(r.kind().name()), r.id(), r.name(), r.owner(),
                r.workload(), r.labels().get(OwnerLabels.GENERATION));
    }

    /**
     * Removes {@code r}, which the caller has checked carries {@code owner}'s label. A network is
     * removed by name through the backend's owner-checked removal; volumes go with their workload
     * and have no removal of their own in the SPI.
     */
    static void remove(Backend backend, OwnedResource r, String owner) {
        switch (r.kind()) {
            case WORKLOAD -> backend.remove(new Handle(backend.name(), r.id()));
            case NETWORK -> backend.networks().remove(r.name(), owner);
            case VOLUME -> throw new BerthException(ErrorCode.UNSUPPORTED, "backend " + backend.name()
                    + " offers no volume removal; remove volume " + r.name() + " with the runtime's own tools");
        }
    }

    /** Workloads before networks (a network in use cannot go), volumes last. */
    static int removalOrder(OwnedResource r) {
        return switch (r.kind()) {
            case WORKLOAD -> 0;
            case NETWORK -> 1;
            case VOLUME -> 2;
        };
    }
}
