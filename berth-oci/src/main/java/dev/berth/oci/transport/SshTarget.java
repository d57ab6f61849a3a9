package dev.berth.oci.transport;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where and how {@link SshTransport} logs in: key authentication only, the host key checked
 * against {@code knownHosts}. {@code identity} and {@code knownHosts} may be null for ssh's
 * defaults (~/.ssh/id_*, ~/.ssh/known_hosts). {@code multiplex} keeps one connection open and
 * runs every call as a session on it (one round trip instead of a handshake per call).
 */
public record SshTarget(String user, String host, int port, Path identity, Path knownHosts, boolean multiplex) {
    public static final int DEFAULT_PORT = 22;

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,31}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final String FORMS = "ssh://USER@HOST[:PORT][?identity=/PATH&knownHosts=/PATH&multiplex=true|false]";

    public SshTarget {
        check("user", user, user != null && USER.matcher(user).matches(), "letters, digits, '.', '_', '-', not starting with '-' or '.'");
        check("host", host, host != null && HOST.matcher(host).matches(), "a host name, an IPv4 address or an IPv6 address");
        check("port", port, port >= 1 && port <= 65535, "1..65535");
        check("identity", identity, identity == null || identity.isAbsolute(), "an absolute path");
        check("knownHosts", knownHosts, knownHosts == null || knownHosts.isAbsolute(), "an absolute path");
    }

    /** {@code user@host:port} with ssh's default keys and known_hosts, multiplexed. */
    public static SshTarget of(String user, String host, int port) {
        return new SshTarget(user, host, port, null, null, true);
    }

    public SshTarget withIdentity(Path identityFile) {
        return new SshTarget(user, host, port, identityFile, knownHosts, multiplex);
    }

    public SshTarget withKnownHosts(Path knownHostsFile) {
        return new SshTarget(user, host, port, identity, knownHostsFile, multiplex);
    }

    public SshTarget withMultiplex(boolean enabled) {
        return new SshTarget(user, host, port, identity, knownHosts, enabled);
    }

    /** "root@127.0.0.1:2222". */
    public String address() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static void check(String part, Object value, boolean ok, String allowed) {
        if (!ok) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "transport: ssh " + part + " " + (value instanceof String s ? "'" + s + "'" : String.valueOf(value))
                            + " is invalid (allowed: " + allowed + "); form: " + FORMS,
                    "transport", null);
        }
    }
}
