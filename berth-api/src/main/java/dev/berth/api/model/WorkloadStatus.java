package dev.berth.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What Berth knows about a workload: the engine's record merged with what the backend reports.
 * {@code ip} is the address on the workload's first network; {@code networks} maps every
 * network to its address.
 */
public record WorkloadStatus(
        String name,
        String backend,
        String handle,
        String image,
        WorkloadState state,
        ExitStatus exit,
        Integer pid,
        String ip,
        Map<String, String> networks,
        List<PublishedPort> ports,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        int restartCount,
        long generation,
        Map<String, String> labels,
        String message) {

    public WorkloadStatus {
        networks = networks == null ? Map.of() : Map.copyOf(networks);
        ports = ports == null ? List.of() : List.copyOf(ports);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The host port bound for {@code containerPort}/tcp, if published. */
    public java.util.OptionalInt hostPort(int containerPort) {
        return ports.stream().filter(p -> p.containerPort() == containerPort)
                .mapToInt(PublishedPort::hostPort).findFirst();
    }
}
