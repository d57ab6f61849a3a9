package dev.berth.net.ports;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.HostCommands;
import dev.berth.net.HostCommands.Result;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses host ports for {@code hostPort: 0}: a random port in the kernel's ephemeral range that
 * no socket listens on ({@code ss}) and no Berth mapping uses. Random rather than lowest-free,
 * so two processes choosing at once rarely collide and a released port is not handed out again
 * straight away. A DNAT rule holds no socket, so the choice is recorded, never re-derived.
 */
public final class HostPorts {
    private static final int ATTEMPTS = 200;

    private final HostCommands host;
    private final RandomGenerator random;
    private int[] range;

    public HostPorts(HostCommands host, RandomGenerator random) {
        this.host = host;
        this.random = random;
    }

    /** A free port for {@code protocol} (tcp or udp) not in {@code taken}. */
    public int pick(String protocol, Set<Integer> taken) {
        var busy = new HashSet<>(taken);
        busy.addAll(listening(protocol));
        int[] bounds = range();
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = bounds[0] + random.nextInt(bounds[1] - bounds[0] + 1);
            if (!busy.contains(port)) {
                return port;
            }
        }
        throw new BerthException(ErrorCode.CONFLICT, "no free " + protocol + " host port found in " + bounds[0] + "-" + bounds[1]);
    }

    private Set<Integer> listening(String protocol) {
        Result result = host.run(List.of("ss", "-H", "-n", "-l", protocol.equals("udp") ? "-u" : "-t"));
        if (!result.ok()) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "cannot list listening sockets (ss): " + result.stderr().strip());
        }
        var ports = new HashSet<Integer>();
        for (String line : result.stdout().lines().toList()) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4) {
                String local = columns[3];
                try {
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1)));
                } catch (NumberFormatException e) {
                    // "*" for an unbound port: nothing to avoid.
                }
            }
        }
        return ports;
    }

    private int[] range() {
        if (range == null) {
            Result result = host.run(List.of("sysctl", "-n", "net.ipv4.ip_local_port_range"));
            String[] parts = result.ok() ? result.stdout().trim().split("\\s+") : new String[0];
            range = parts.length == 2 ? new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])} : new int[] {32768, 60999};
        }
        return range;
    }
}
