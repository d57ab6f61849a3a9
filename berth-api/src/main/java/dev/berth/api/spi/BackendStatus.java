package dev.berth.api.spi;

import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.PublishedPort;
import dev.berth.api.model.WorkloadState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A backend's view of one workload: its real state, exit status, pid, addresses and ports. */
public record BackendStatus(WorkloadState state, ExitStatus exit, Integer pid, String ip,
                            Map<String, String> networks, List<PublishedPort> ports, Instant startedAt,
                            Instant finishedAt, int restartCount, Map<String, String> labels) {
    public BackendStatus {
        networks = networks == null ? Map.of() : Map.copyOf(networks);
        ports = ports == null ? List.of() : List.copyOf(ports);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
