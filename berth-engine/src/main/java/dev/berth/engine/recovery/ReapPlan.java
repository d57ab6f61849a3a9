package dev.berth.engine.recovery;

import dev.berth.api.spi.OwnedResource;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.engine.store.NetworkRecord;
import dev.berth.engine.store.WorkloadRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides which resources on one backend the reaper removes: those whose owner label is exactly
 * this engine's id and that no record explains. Pure: resources and records in, verdicts out.
 *
 * <p>A workload resource is explained by the record of its workload label on this backend with
 * the same generation (or whose handle is this very resource). A network is explained by a
 * network record of its name: networks are realised on whichever backend a workload joins them.
 * Anything else carrying our owner id is an orphan of a crash. Resources whose owner label is
 * anything else, a longer or shorter id included, are never candidates.
 *
 * <p>The caller must list the backend's resources <em>before</em> reading the records: a record is
 * written before its resource is created, so every resource in the listing either has its record
 * by then or lost it for good. (Records read first could miss a workload created in between.)
 */
public final class ReapPlan {
    /** A resource to remove and why. */
    public record Verdict(OwnedResource resource, String reason) {
    }

    private ReapPlan() {
    }

    public static List<Verdict> unexplained(String ownerId, String backend, List<OwnedResource> resources,
                                            Collection<WorkloadRecord> workloads, Collection<NetworkRecord> networks) {
        Map<String, WorkloadRecord> byName = workloads.stream()
                .collect(Collectors.toMap(WorkloadRecord::name, Function.identity(), (a, b) -> a));
        Set<String> networkNames = networks.stream().map(NetworkRecord::name).collect(Collectors.toSet());
        var out = new ArrayList<Verdict>();
        for (OwnedResource r : resources) {
            if (!ownerId.equals(r.owner())) {
                continue;
            }
            Optional<String> reason = switch (r.kind()) {
                case WORKLOAD, VOLUME -> workloadReason(r, backend, byName.get(r.workload()));
                case NETWORK -> networkNames.contains(r.name()) ? Optional.empty()
                        : Optional.of("no network record '" + r.name() + "'");
            };
            reason.ifPresent(why -> out.add(new Verdict(r, why)));
        }
        return out;
    }

    /** Why {@code r} is an orphan given the record of its workload label, or empty when the record explains it. */
    public static Optional<String> workloadReason(OwnedResource r, String backend, WorkloadRecord record) {
        if (r.workload() == null) {
            return Optional.of("no " + OwnerLabels.WORKLOAD + " label");
        }
        if (record == null) {
            return Optional.of("no record for workload '" + r.workload() + "'");
        }
        if (record.handle() != null && record.handle().equals(r.id())) {
            return Optional.empty();
        }
        if (!backend.equals(record.backend())) {
            return Optional.of("workload '" + r.workload() + "' is recorded on backend " + record.backend());
        }
        String generation = r.labels().get(OwnerLabels.GENERATION);
        if (!Long.toString(record.generation()).equals(generation)) {
            return Optional.of("generation " + generation + " is not the record's " + record.generation());
        }
        return Optional.empty();
    }
}
