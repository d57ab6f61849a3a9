package dev.berth.api.spi;

import java.util.Map;

/** A backend resource carrying Berth's labels, as the reaper and {@code berth info} see it. */
public record OwnedResource(Kind kind, String id, String name, Map<String, String> labels) {
    public enum Kind { WORKLOAD, NETWORK, VOLUME }

    public String owner() {
        return labels.get(OwnerLabels.OWNER);
    }

    public String workload() {
        return labels.get(OwnerLabels.WORKLOAD);
    }
}
