package dev.berth.oci.transport;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;

/**
 * Opens the transport a {@code transport} setting names: {@code local}, {@code ssh://user@host[:port]}
 * or {@code wsl://DISTRO}.
 */
public final class Transports {
    private Transports() {
    }

    public static CommandTransport open(String uri) {
        if (uri == null || uri.isBlank() || uri.equals("local")) {
            return new LocalTransport();
        }
        if (uri.startsWith("ssh://")) {
            throw notAvailable(uri, "ssh");
        }
        if (uri.startsWith("wsl://")) {
            throw notAvailable(uri, "wsl");
        }
        throw new BerthException(ErrorCode.INVALID_ARGUMENT, "transport: invalid value '" + uri
                + "'; allowed: local, ssh://user@host[:port], wsl://DISTRO", "transport", null);
    }

    private static BerthException notAvailable(String uri, String kind) {
        return new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "transport " + uri + ": the " + kind
                + " transport is not available in this build", "transport", null);
    }
}
