package dev.berth.api.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels every backend resource Berth creates carries, so that ownership is precise: the
 * reaper only touches resources whose {@link #OWNER} is this engine's id.
 */
public record OwnerLabels(String ownerId, String workload, long generation) {
    public static final String OWNER = "dev.berth.owner";
    public static final String WORKLOAD = "dev.berth.workload";
    public static final String GENERATION = "dev.berth.generation";
    public static final String NETWORK = "dev.berth.network";

    public Map<String, String> asMap() {
        var m = new LinkedHashMap<String, String>();
        m.put(OWNER, ownerId);
        if (workload != null) {
            m.put(WORKLOAD, workload);
            m.put(GENERATION, Long.toString(generation));
        }
        return m;
    }
}
