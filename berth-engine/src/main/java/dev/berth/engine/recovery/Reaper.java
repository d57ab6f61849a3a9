package dev.berth.engine.recovery;

import dev.berth.api.error.BerthException;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.OwnedResource;
import dev.berth.engine.store.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Removes what this engine created and lost track of: resources labelled with exactly our owner
 * id that no record explains ({@link ReapPlan}). Each verdict is checked again against a fresh
 * read of its record, under the workload's name lock, just before the removal, so a workload
 * created or re-created meanwhile is kept. A failed removal is reported and the rest go on.
 */
public final class Reaper {
    private final StateStore store;
    private final String ownerId;
    private final NameGuard guard;

    public Reaper(StateStore store, String ownerId, NameGuard guard) {
        this.store = store;
        this.ownerId = ownerId;
        this.guard = guard;
    }

    public CleanupReport reap(AvailableBackends available) {
        var removed = new ArrayList<CleanupReport.Entry>();
        var failed = new ArrayList<CleanupReport.Entry>();
        for (Backend backend : available.backends()) {
            List<OwnedResource> resources;
            try {
                resources = backend.listOwned(ownerId); // first: see ReapPlan on the order
            } catch (BerthException e) {
                failed.add(new CleanupReport.Entry(null, backend.name() + ": cannot list resources: " + e.getMessage()));
                continue;
            }
            var verdicts = new ArrayList<>(ReapPlan.unexplained(ownerId, backend.name(), resources, store.list(),
                    store.listNetworks()));
            verdicts.sort(Comparator.comparingInt(v -> Resources.removalOrder(v.resource())));
            for (ReapPlan.Verdict v : verdicts) {
                var entry = new CleanupReport.Entry(Resources.describe(backend.name(), v.resource()), v.reason());
                try {
                    if (removeIfStillUnexplained(backend, v.resource())) {
                        removed.add(entry);
                    }
                } catch (BerthException e) {
                    failed.add(new CleanupReport.Entry(entry.resource(), e.getMessage()));
                }
            }
        }
        return new CleanupReport(removed, failed, available.skipped());
    }

    private boolean removeIfStillUnexplained(Backend backend, OwnedResource r) {
        if (r.kind() == OwnedResource.Kind.NETWORK) {
            if (store.getNetwork(r.name()).isPresent()) {
                return false;
            }
            Resources.remove(backend, r, ownerId);
            return true;
        }
        if (r.workload() == null) {
            Resources.remove(backend, r, ownerId);
            return true;
        }
        return guard.with(r.workload(), () -> {
            Optional<String> still = ReapPlan.workloadReason(r, backend.name(), store.get(r.workload()).orElse(null));
            if (still.isEmpty()) {
                return false;
            }
            Resources.remove(backend, r, ownerId);
            return true;
        });
    }
}
