package dev.berth.engine.recovery;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.BackendResource;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.OwnedResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resources labelled with an owner id other than ours: another engine's (another data dir,
 * another daemon, possibly alive right now). Never reaped; listed for {@code berth info}, and
 * removed only by {@link #prune} when a user names the owner.
 */
public final class ForeignOwners {
    private final String ownerId;

    public ForeignOwners(String ownerId) {
        this.ownerId = ownerId;
    }

    /** Every foreign resource on the available backends, by owner id (sorted). */
    public Map<String, List<BackendResource>> list(AvailableBackends available) {
        var out = new TreeMap<String, List<BackendResource>>();
        for (Backend backend : available.backends()) {
            for (OwnedResource r : backend.listOwned(null)) {
                if (r.owner() != null && !ownerId.equals(r.owner())) {
                    out.computeIfAbsent(r.owner(), o -> new ArrayList<>()).add(Resources.describe(backend.name(), r));
                }
            }
        }
        out.replaceAll((owner, resources) -> List.copyOf(resources));
        return out;
    }

    /** Removes every resource labelled with exactly {@code owner}; refuses our own id and a blank one. */
    public CleanupReport prune(String owner, AvailableBackends available) {
        if (owner == null || owner.isBlank()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "an owner id is required (see 'berth info' for other owners)",
                    "owner", null);
        }
        if (owner.equals(ownerId)) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "owner id " + owner + " is this engine's own: prune removes"
                    + " only other owners' resources; use 'berth system reap' to remove ours that no record explains",
                    "owner", null);
        }
        var removed = new ArrayList<CleanupReport.Entry>();
        var failed = new ArrayList<CleanupReport.Entry>();
        for (Backend backend : available.backends()) {
            List<OwnedResource> resources;
            try {
                resources = new ArrayList<>(backend.listOwned(owner).stream().filter(r -> owner.equals(r.owner())).toList());
            } catch (BerthException e) {
                failed.add(new CleanupReport.Entry(null, backend.name() + ": cannot list resources: " + e.getMessage()));
                continue;
            }
            resources.sort(Comparator.comparingInt(Resources::removalOrder));
            for (OwnedResource r : resources) {
                var entry = new CleanupReport.Entry(Resources.describe(backend.name(), r), "owner " + owner);
                try {
                    Resources.remove(backend, r, owner);
                    removed.add(entry);
                } catch (BerthException e) {
                    failed.add(new CleanupReport.Entry(entry.resource(), e.getMessage()));
                }
            }
        }
        return new CleanupReport(removed, failed, available.skipped());
    }
}
