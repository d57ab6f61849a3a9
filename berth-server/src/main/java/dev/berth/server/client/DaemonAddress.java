package dev.berth.server.client;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where a daemon listens, as users write it in {@code --host} / {@code BERTH_HOST}:
 * {@code unix:///path/to.sock} or {@code tcp://host:port} (the latter with a bearer token).
 */
public record DaemonAddress(Path socket, InetSocketAddress tcp) {
    public static final Path DEFAULT_SOCKET = Path.of("/run/berth/berth.sock");
    static final String ALLOWED = "unix:///path/to/berth.sock or tcp://host:port";

    public static DaemonAddress unix(Path socket) {
        return new DaemonAddress(socket, null);
    }

    public static DaemonAddress parse(String value) {
        if (value == null || value.isBlank()) {
            return unix(DEFAULT_SOCKET);
        }
        try {
            URI uri = URI.create(value);
            if ("unix".equals(uri.getScheme()) && uri.getPath() != null && uri.getPath().startsWith("/")) {
                return unix(Path.of(uri.getPath()));
            }
            if ("tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0 && (uri.getPath() == null || uri.getPath().isEmpty())) {
                return new DaemonAddress(null, InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort()));
            }
        } catch (IllegalArgumentException e) {
            // reported below with the allowed forms
        }
        throw BerthException.invalidField("host", value, "allowed: " + ALLOWED);
    }

    public boolean isTcp() {
        return tcp != null;
    }

    @Override
    public String toString() {
        return isTcp() ? "tcp://" + tcp.getHostString() + ":" + tcp.getPort() : "unix://" + socket;
    }

    static BerthException unreachable(DaemonAddress address, String why) {
        return new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "no Berth daemon at " + address + " (" + why
                + "); start one with 'berth daemon', or run in-process with --embedded");
    }
}
