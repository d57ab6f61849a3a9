package dev.berth.api.spec;

/** A container port published on the host; {@code hostPort} 0 or null asks for an ephemeral port. */
public record PortMapping(int containerPort, Integer hostPort, Protocol protocol, String hostIp) {
    public PortMapping {
        protocol = protocol == null ? Protocol.TCP : protocol;
        hostPort = hostPort == null ? 0 : hostPort;
    }

    public static PortMapping tcp(int containerPort) {
        return new PortMapping(containerPort, 0, Protocol.TCP, null);
    }
}
