package dev.berth.cli;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.PortMapping;
import dev.berth.api.spec.Protocol;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spec.Quantities;
import dev.berth.api.spec.RestartMode;
import dev.berth.api.spec.RestartPolicy;
import dev.berth.api.spec.TmpfsMount;
import dev.berth.api.spec.Ulimit;
import dev.berth.api.spec.WireEnum;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Turns Docker-style flag values into spec values. Parsing only: every rule about what a value
 * may be lives in the spec's own validation; errors here name the flag and the accepted forms.
 */
final class Flags {
    static final String PUBLISH_ALLOWED = "allowed: [HOSTIP:][HOSTPORT:]CONTAINERPORT[/tcp|udp|sctp], a port or"
            + " a range A-B, IPv6 host addresses in brackets, e.g. 8080, 0:8080, 127.0.0.1:8080:80/udp";
    private static final Pattern PORTS = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");
    private static final Pattern ENV_KEY_SPACE = Pattern.compile(".*\\s.*");

    private Flags() {
    }

    static BerthException invalid(String flag, String value, String allowed) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT,
                flag + ": invalid value '" + value + "'; " + allowed, flag, null);
    }

    /** {@code -p}: one flag value may publish a range, hence a list. */
    static List<PortMapping> publish(String value) {
        String rest = value.strip();
        Protocol protocol = Protocol.TCP;
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            protocol = switch (rest.substring(slash + 1).toLowerCase(Locale.ROOT)) {
                case "tcp" -> Protocol.TCP;
                case "udp" -> Protocol.UDP;
                case "sctp" -> Protocol.SCTP;
                default -> throw invalid("--publish", value, PUBLISH_ALLOWED);
            };
            rest = rest.substring(0, slash);
        }
        String hostIp = null;
        String hostPorts = null;
        String containerPorts;
        if (rest.startsWith("[")) {
            int close = rest.indexOf("]:");
            if (close < 0) {
                throw invalid("--publish", value, PUBLISH_ALLOWED);
            }
            hostIp = rest.substring(1, close);
            String[] parts = rest.substring(close + 2).split(":", -1);
            if (parts.length != 2) {
                throw invalid("--publish", value, PUBLISH_ALLOWED);
            }
            hostPorts = parts[0];
            containerPorts = parts[1];
        } else {
            String[] parts = rest.split(":", -1);
            switch (parts.length) {
                case 1 -> containerPorts = parts[0];
                case 2 -> {
                    hostPorts = parts[0];
                    containerPorts = parts[1];
                }
                case 3 -> {
                    hostIp = parts[0];
                    hostPorts = parts[1];
                    containerPorts = parts[2];
                }
                default -> throw invalid("--publish", value, PUBLISH_ALLOWED);
            }
        }
        int[] container = range(value, containerPorts);
        int[] host = hostPorts == null || hostPorts.isEmpty() ? null : range(value, hostPorts);
        int count = container[1] - container[0] + 1;
        boolean ephemeralHost = host == null || (host[0] == 0 && host[1] == 0);
        if (!ephemeralHost && host[1] - host[0] + 1 != count) {
            throw invalid("--publish", value, "host and container ranges must have the same length; " + PUBLISH_ALLOWED);
        }
        String ip = hostIp == null || hostIp.isEmpty() ? null : hostIp;
        var mappings = new ArrayList<PortMapping>(count);
        for (int i = 0; i < count; i++) {
            mappings.add(new PortMapping(container[0] + i, ephemeralHost ? 0 : host[0] + i, protocol, ip));
        }
        return mappings;
    }

    private static int[] range(String value, String ports) {
        var m = PORTS.matcher(ports);
        if (!m.matches()) {
            throw invalid("--publish", value, PUBLISH_ALLOWED);
        }
        int first = Integer.parseInt(m.group(1));
        int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
        if (last < first || last > 65535) {
            throw invalid("--publish", value, PUBLISH_ALLOWED);
        }
        return new int[] {first, last};
    }

    /**
     * {@code -e KEY=VALUE} entries, split at the first '=' and kept literally; a bare {@code KEY}
     * takes the value from {@code environment} and is skipped when unset there (Docker's rule).
     */
    static Map<String, String> env(String flag, List<String> entries, UnaryOperator<String> environment) {
        var env = new LinkedHashMap<String, String>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String key = eq < 0 ? entry : entry.substring(0, eq);
            if (key.isEmpty() || ENV_KEY_SPACE.matcher(key).matches()) {
                throw invalid(flag, entry, "allowed: KEY=VALUE or KEY (taken from the environment), KEY without spaces");
            }
            String val = eq < 0 ? environment.apply(key) : entry.substring(eq + 1);
            if (val != null) {
                env.put(key, val);
            }
        }
        return env;
    }

    /** An env file: one KEY=VALUE (or KEY) per line, values literal; blank lines and '#' comments skipped. */
    static Map<String, String> envFile(Path file, UnaryOperator<String> environment) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw cannotRead("--env-file", file, e);
        }
        var entries = new ArrayList<String>();
        for (String line : lines) {
            String entry = line.stripLeading();
            if (entry.endsWith("\r")) {
                entry = entry.substring(0, entry.length() - 1);
            }
            if (!entry.isEmpty() && !entry.startsWith("#")) {
                entries.add(entry);
            }
        }
        return env("--env-file " + file, entries, environment);
    }

    static BerthException cannotRead(String flag, Path file, IOException e) {
        String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new BerthException(ErrorCode.INVALID_ARGUMENT, flag + ": cannot read " + file + ": " + why, flag, e);
    }

    /** {@code -l key=value}; a bare key gets an empty value. */
    static Map<String, String> labels(List<String> entries) {
        var labels = new LinkedHashMap<String, String>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            labels.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
        }
        return labels;
    }

    /** {@code --tmpfs PATH[:size=64m,mode=1777,exec|noexec,rw,nosuid,nodev]}. */
    static TmpfsMount tmpfs(String value) {
        int colon = value.indexOf(':');
        String path = colon < 0 ? value : value.substring(0, colon);
        String size = null;
        String mode = null;
        boolean exec = false;
        if (colon >= 0) {
            for (String option : value.substring(colon + 1).split(",")) {
                if (option.startsWith("size=")) {
                    size = option.substring(5);
                } else if (option.startsWith("mode=")) {
                    mode = option.substring(5);
                } else if (option.equals("exec")) {
                    exec = true;
                } else if (option.equals("noexec")) {
                    exec = false;
                } else if (!option.equals("rw") && !option.equals("nosuid") && !option.equals("nodev")
                        && !option.isEmpty()) {
                    throw invalid("--tmpfs", value,
                            "allowed: PATH[:OPTIONS] with options size=SIZE, mode=OCTAL, exec, noexec, rw, nosuid, nodev");
                }
            }
        }
        return new TmpfsMount(path, size, exec, mode);
    }

    /** {@code --ulimit name=soft[:hard]}; -1 means unlimited. */
    static Map<String, Ulimit> ulimits(List<String> entries) {
        var ulimits = new LinkedHashMap<String, Ulimit>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String allowed = "allowed: NAME=SOFT[:HARD] with whole numbers or -1 (unlimited), e.g. nofile=1024:2048";
            if (eq <= 0) {
                throw invalid("--ulimit", entry, allowed);
            }
            String[] limits = entry.substring(eq + 1).split(":", -1);
            if (limits.length > 2) {
                throw invalid("--ulimit", entry, allowed);
            }
            try {
                long soft = Long.parseLong(limits[0]);
                long hard = limits.length == 2 ? Long.parseLong(limits[1]) : soft;
                ulimits.put(entry.substring(0, eq), new Ulimit(soft, hard));
            } catch (NumberFormatException e) {
                throw invalid("--ulimit", entry, allowed);
            }
        }
        return ulimits;
    }

    /** {@code --restart no|on-failure[:N]|always|unless-stopped}. */
    static RestartPolicy restart(String value) {
        int colon = value.indexOf(':');
        RestartMode mode = wire(RestartMode.class, "--restart", colon < 0 ? value : value.substring(0, colon));
        if (colon < 0) {
            return new RestartPolicy(mode, 0);
        }
        String allowed = "allowed: no, on-failure[:MAX_RETRIES], always, unless-stopped";
        try {
            return new RestartPolicy(mode, Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw invalid("--restart", value, allowed);
        }
    }

    /** {@code --pull always|missing|never} (the spec's Always, IfNotPresent, Never are accepted too). */
    static PullPolicy pull(String flag, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "always" -> PullPolicy.ALWAYS;
            case "missing", "ifnotpresent" -> PullPolicy.IF_NOT_PRESENT;
            case "never" -> PullPolicy.NEVER;
            default -> throw invalid(flag, value, "allowed: always, missing, never");
        };
    }

    /** An enum value by its spec spelling, or an error naming the flag and the choices. */
    static <E extends Enum<E> & WireEnum> E wire(Class<E> type, String flag, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.wire().equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        throw invalid(flag, value, "allowed: " + WireEnum.choices(type));
    }

    static Double number(String flag, String value) {
        try {
            return Double.valueOf(value);
        } catch (NumberFormatException e) {
            throw invalid(flag, value, "allowed: a number, e.g. 0.5");
        }
    }

    static int count(String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, naming the flag
        }
        throw invalid(flag, value, "allowed: a whole number >= 0");
    }

    /** {@code --tail N|all}: null means all lines. */
    static Integer tail(String value) {
        return value == null || value.equalsIgnoreCase("all") ? null : count("--tail", value);
    }

    /** {@code --since 10m} (relative to {@code now}) or an RFC 3339 timestamp. */
    static Instant since(String value, Instant now) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notTimestamp) {
            try {
                Duration ago = Quantities.parseDuration("--since", value);
                return now.minus(ago);
            } catch (BerthException notDuration) {
                throw invalid("--since", value, "allowed: a duration such as 30s, 10m, 2h, or an RFC 3339 time"
                        + " such as 2024-05-01T12:00:00Z");
            }
        }
    }
}
