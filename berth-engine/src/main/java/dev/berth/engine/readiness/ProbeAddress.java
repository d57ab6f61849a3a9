package dev.berth.engine.readiness;

import dev.berth.api.model.PublishedPort;
import dev.berth.api.spec.Protocol;
import dev.berth.api.spi.BackendStatus;
import java.net.InetSocketAddress;

/**
 * Where the host reaches a workload's port: its own IP, or, when the backend reports none, the
 * host port the container port is published on.
 */
final class ProbeAddress {
    private ProbeAddress() {
    }

    static InetSocketAddress of(BackendStatus status, int port) throws NotReady {
        if (status.ip() != null && !status.ip().isBlank()) {
            return new InetSocketAddress(status.ip(), port);
        }
        for (PublishedPort p : status.ports()) {
            if (p.containerPort() == port && p.protocol() == Protocol.TCP && p.hostPort() > 0) {
                return new InetSocketAddress(loopbackFor(p.hostIp()), p.hostPort());
            }
        }
        throw new NotReady("the workload has no IP address and port " + port + " is not published; publish it or probe with exec");
    }

    private static String loopbackFor(String hostIp) {
        boolean wildcard = hostIp == null || hostIp.isBlank() || hostIp.equals("0.0.0.0") || hostIp.equals("::");
        return wildcard ? "127.0.0.1" : hostIp;
    }
}
