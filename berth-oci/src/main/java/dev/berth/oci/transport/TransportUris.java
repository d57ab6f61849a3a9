package dev.berth.oci.transport;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parses the {@code transport} setting: {@code local}, {@code wsl://DISTRO}, or
 * {@code ssh://USER@HOST[:PORT][?identity=/PATH&knownHosts=/PATH&multiplex=true|false]}
 * (values percent-encoded; an IPv6 host in brackets). The result says which transport to build:
 * <pre>{@code
 * switch (TransportUris.parse(setting)) {
 *     case TransportUris.Local l -> new LocalTransport(...);
 *     case TransportUris.Ssh s -> new SshTransport(s.target());
 *     case TransportUris.Wsl w -> new WslTransport(w.distro());
 * }
 * }</pre>
 */
public final class TransportUris {
    public static final String SETTING = "transport";
    public static final String FORMS =
            "local, ssh://USER@HOST[:PORT][?identity=/PATH&knownHosts=/PATH&multiplex=true|false], wsl://DISTRO";
    private static final Set<String> SSH_PARAMETERS = Set.of("identity", "knownHosts", "multiplex");

    private TransportUris() {
    }

    /** A parsed {@code transport} setting. */
    public sealed interface TransportUri permits Local, Ssh, Wsl {
    }

    public record Local() implements TransportUri {
    }

    public record Ssh(SshTarget target) implements TransportUri {
    }

    public record Wsl(String distro) implements TransportUri {
    }

    public static TransportUri parse(String value) {
        if (value == null || value.isBlank()) {
            throw invalid(value, "empty");
        }
        String text = value.strip();
        if (text.equals("local")) {
            return new Local();
        }
        if (text.startsWith("wsl://")) {
            String distro = text.substring("wsl://".length());
            if (distro.isEmpty() || distro.contains("/") || distro.contains("?")) {
                throw invalid(value, "a WSL distribution name is expected after wsl://");
            }
            return new Wsl(WslTransport.requireDistro(distro));
        }
        if (text.startsWith("ssh://")) {
            return new Ssh(ssh(value, text));
        }
        throw invalid(value, "unknown transport");
    }

    private static SshTarget ssh(String value, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(value, "not a URI (" + e.getReason() + "; percent-encode spaces and special characters)");
        }
        if (uri.getRawUserInfo() == null || uri.getHost() == null) {
            throw invalid(value, "USER@HOST is required");
        }
        if (!uri.getRawPath().isEmpty() || uri.getRawFragment() != null) {
            throw invalid(value, "no path or fragment is allowed after the host");
        }
        Map<String, String> parameters = parameters(value, uri.getRawQuery());
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        int port = uri.getPort() == -1 ? SshTarget.DEFAULT_PORT : uri.getPort();
        var target = SshTarget.of(uri.getUserInfo(), host, port);
        if (parameters.containsKey("identity")) {
            target = target.withIdentity(Path.of(parameters.get("identity")));
        }
        if (parameters.containsKey("knownHosts")) {
            target = target.withKnownHosts(Path.of(parameters.get("knownHosts")));
        }
        String multiplex = parameters.getOrDefault("multiplex", "true");
        if (!multiplex.equals("true") && !multiplex.equals("false")) {
            throw invalid(value, "multiplex must be true or false");
        }
        return target.withMultiplex(Boolean.parseBoolean(multiplex));
    }

    private static Map<String, String> parameters(String value, String rawQuery) {
        var parameters = new LinkedHashMap<String, String>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!SSH_PARAMETERS.contains(name)) {
                throw invalid(value, "unknown parameter '" + name + "' (allowed: identity, knownHosts, multiplex)");
            }
            String decoded = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.isEmpty() || parameters.put(name, decoded) != null) {
                throw invalid(value, "parameter '" + name + "' needs exactly one non-empty value");
            }
        }
        return parameters;
    }

    private static BerthException invalid(String value, String why) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT,
                SETTING + ": invalid value '" + value + "' (" + why + "); allowed: " + FORMS, SETTING, null);
    }
}
