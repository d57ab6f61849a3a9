package dev.berth.docker.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.PublishedPort;
import dev.berth.api.model.Stats;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.Protocol;
import dev.berth.api.spi.BackendStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads Engine API JSON (container inspect, stats) into Berth's model. */
final class InspectMapper {
    private InspectMapper() {
    }

    static BackendStatus status(JsonNode c) {
        JsonNode state = c.path("State");
        WorkloadState ws = switch (state.path("Status").asText()) {
            case "created", "configured", "initialized" -> WorkloadState.CREATED;
            case "running", "paused", "restarting" -> WorkloadState.RUNNING;
            case "removing", "stopping" -> WorkloadState.STOPPING;
            case "exited", "stopped" -> WorkloadState.EXITED;
            default -> WorkloadState.FAILED;
        };
        ExitStatus exit = ws == WorkloadState.EXITED
                ? ExitStatus.ofCode(state.path("ExitCode").asInt(), state.path("OOMKilled").asBoolean()) : null;
        int pid = state.path("Pid").asInt();
        Map<String, String> labels = labels(c.path("Config").path("Labels"));
        Map<String, String> networks = new LinkedHashMap<>();
        c.path("NetworkSettings").path("Networks").fields().forEachRemaining(e -> {
            String ip = e.getValue().path("IPAddress").asText("");
            if (!ip.isEmpty()) {
                networks.put(e.getKey(), ip);
            }
        });
        String primary = labels.get(CreateBody.PRIMARY_NETWORK);
        String ip = primary != null ? networks.get(primary) : networks.values().stream().findFirst().orElse(null);
        return new BackendStatus(ws, exit, pid > 0 ? pid : null, ip, networks, ports(c.path("NetworkSettings").path("Ports")),
                instant(state.path("StartedAt").asText(null)), instant(state.path("FinishedAt").asText(null)),
                c.path("RestartCount").asInt(), labels);
    }

    static Map<String, String> labels(JsonNode node) {
        var out = new LinkedHashMap<String, String>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<PublishedPort> ports(JsonNode ports) {
        var out = new ArrayList<PublishedPort>();
        ports.fields().forEachRemaining(e -> {
            String[] key = e.getKey().split("/");
            JsonNode bindings = e.getValue();
            if (!bindings.isArray() || bindings.isEmpty()) {
                return;
            }
            // Docker binds IPv4 and IPv6 separately; report one address, IPv4 first.
            JsonNode chosen = bindings.get(0);
            for (JsonNode b : bindings) {
                if (!b.path("HostIp").asText().contains(":")) {
                    chosen = b;
                    break;
                }
            }
            out.add(new PublishedPort(Integer.parseInt(key[0]), Protocol.parse(key.length > 1 ? key[1] : "tcp"),
                    chosen.path("HostIp").asText(""), Integer.parseInt(chosen.path("HostPort").asText("0"))));
        });
        return out;
    }

    /** Docker's zero time (0001-01-01) and empty strings mean "never". */
    static Instant instant(String text) {
        if (text == null || text.isEmpty() || text.startsWith("0001-01-01")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code hostMemory}: the engine's total memory; a limit that large means "no limit", shown as 0. */
    static Stats stats(JsonNode s, long hostMemory) {
        JsonNode cpu = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble() - pre.path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        int cpus = cpu.path("online_cpus").asInt(Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size()));
        double percent = cpuDelta > 0 && systemDelta > 0 ? cpuDelta / systemDelta * cpus * 100.0 : 0.0;
        JsonNode mem = s.path("memory_stats");
        // Like docker stats: page cache is reclaimable, so it is not the workload's usage.
        long cache = mem.path("stats").has("inactive_file") ? mem.path("stats").path("inactive_file").asLong()
                : mem.path("stats").path("cache").asLong();
        long usage = Math.max(0, mem.path("usage").asLong() - cache);
        long rx = 0;
        long tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        long read = 0;
        long write = 0;
        for (JsonNode io : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            switch (io.path("op").asText().toLowerCase()) {
                case "read" -> read += io.path("value").asLong();
                case "write" -> write += io.path("value").asLong();
                default -> { }
            }
        }
        Instant at = instant(s.path("read").asText(null));
        long limit = mem.path("limit").asLong();
        return new Stats(at == null ? Instant.now() : at, percent, usage, hostMemory > 0 && limit >= hostMemory ? 0 : limit,
                s.path("pids_stats").path("current").asLong(), rx, tx, read, write);
    }
}
