package dev.berth.oci.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.model.Stats;
import dev.berth.oci.runtime.RuntimeCli;
import dev.berth.oci.transport.HostFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resource samples from {@code <runtime> events --stats} (the runtime reads the container's
 * cgroup, whatever the cgroup version or sandbox) and network counters from the workload's
 * {@code /proc/PID/net/dev}. CPU percent is the usage between two samples of the same workload.
 */
final class StatsReader {
    private final HostFiles files;
    private final long hostMemory;
    private final Map<String, Sample> previous = new ConcurrentHashMap<>();

    private record Sample(long cpuNanos, long atNanos) {
    }

    StatsReader(HostFiles files) {
        this.files = files;
        this.hostMemory = hostMemory(files);
    }

    Stats sample(RuntimeCli runtime, String id, int pid) {
        JsonNode data = runtime.stats(id).path("data");
        long now = System.nanoTime();
        long cpu = data.path("cpu").path("usage").path("total").asLong();
        Sample before = previous.put(id, new Sample(cpu, now));
        double percent = 0;
        if (before != null && now > before.atNanos() && cpu >= before.cpuNanos()) {
            percent = (cpu - before.cpuNanos()) * 100.0 / (now - before.atNanos());
        }
        JsonNode memory = data.path("memory");
        long usage = memory.path("usage").path("usage").asLong();
        long inactive = memory.path("raw").has("total_inactive_file") ? memory.path("raw").path("total_inactive_file").asLong()
                : memory.path("raw").path("inactive_file").asLong();
        long limit = memory.path("usage").path("limit").asLong();
        if (limit <= 0) {
            limit = cgroupMemoryLimit(id); // runsc reports usage but no limit
        }
        long read = 0;
        long write = 0;
        for (JsonNode io : data.path("blkio").path("ioServiceBytesRecursive")) {
            switch (io.path("op").asText().toLowerCase(java.util.Locale.ROOT)) {
                case "read" -> read += io.path("value").asLong();
                case "write" -> write += io.path("value").asLong();
                default -> { }
            }
        }
        long[] net = network(pid);
        return new Stats(Instant.now(), percent, Math.max(0, usage - inactive), limit <= 0 || limit >= hostMemory ? 0 : limit,
                data.path("pids").path("current").asLong(), net[0], net[1], read, write);
    }

    /** The container's cgroup memory limit (v1, then v2), under the cgroupsPath the bundle sets. */
    private long cgroupMemoryLimit(String id) {
        for (String path : new String[] {"/sys/fs/cgroup/memory/berth/" + id + "/memory.limit_in_bytes",
                "/sys/fs/cgroup/berth/" + id + "/memory.max"}) {
            var text = files.read(path).map(b -> new String(b, StandardCharsets.UTF_8).strip());
            if (text.isPresent() && text.get().chars().allMatch(Character::isDigit) && !text.get().isEmpty()) {
                return Long.parseLong(text.get());
            }
        }
        return 0;
    }

    void forget(String id) {
        previous.remove(id);
    }

    /** Received and transmitted bytes over every interface but loopback. */
    private long[] network(int pid) {
        long[] out = new long[2];
        if (pid <= 0) {
            return out;
        }
        String text = files.read("/proc/" + pid + "/net/dev").map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
        for (String line : text.lines().skip(2).toList()) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.substring(0, colon).strip().equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (f.length >= 9) {
                out[0] += Long.parseLong(f[0]);
                out[1] += Long.parseLong(f[8]);
            }
        }
        return out;
    }

    private static long hostMemory(HostFiles files) {
        String text = files.read("/proc/meminfo").map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
        return text.lines().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).orElse(Long.MAX_VALUE);
    }

    static final Duration INTERVAL = Duration.ofSeconds(1);
}
