package dev.berth.oci.transport;

/**
 * Opens the transport a {@code transport} setting names: {@code local} (default),
 * {@code ssh://user@host[:port][?identity=..&knownHosts=..]} or {@code wsl://DISTRO}; errors name
 * the setting and the allowed forms ({@link TransportUris}).
 */
public final class Transports {
    private Transports() {
    }

    public static CommandTransport open(String uri) {
        if (uri == null || uri.isBlank()) {
            return new LocalTransport();
        }
        return switch (TransportUris.parse(uri)) {
            case TransportUris.Local local -> new LocalTransport();
            case TransportUris.Ssh ssh -> new SshTransport(ssh.target());
            case TransportUris.Wsl wsl -> new WslTransport(wsl.distro());
        };
    }
}
