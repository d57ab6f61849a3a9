package dev.berth.cli;

import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.PublishedPort;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How values read in tables: sizes, ages, ports, exit statuses. */
final class Formats {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Formats() {
    }

    static String bytes(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.1f%s", value, UNITS[unit]);
    }

    static String ago(Instant when, Instant now) {
        if (when == null) {
            return "";
        }
        long seconds = Math.max(0, Duration.between(when, now).toSeconds());
        if (seconds < 60) {
            return plural(seconds, "second") + " ago";
        }
        if (seconds < 3600) {
            return plural(seconds / 60, "minute") + " ago";
        }
        if (seconds < 48 * 3600) {
            return plural(seconds / 3600, "hour") + " ago";
        }
        return plural(seconds / 86400, "day") + " ago";
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    static String ports(List<PublishedPort> ports) {
        return ports.stream().map(Formats::port).collect(Collectors.joining(","));
    }

    static String port(PublishedPort p) {
        String host = p.hostIp() == null ? "" : (p.hostIp().contains(":") ? "[" + p.hostIp() + "]" : p.hostIp()) + ":";
        return host + p.hostPort() + "->" + p.containerPort() + "/" + p.protocol().wire();
    }

    static String exit(ExitStatus exit) {
        if (exit == null) {
            return "";
        }
        String detail = exit.signal() == null ? "" : exit.signal();
        if (exit.oomKilled()) {
            detail = detail.isEmpty() ? "OOM" : detail + ", OOM";
        }
        return detail.isEmpty() ? Integer.toString(exit.code()) : exit.code() + " (" + detail + ")";
    }

    static String shortId(String id) {
        if (id == null) {
            return "";
        }
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
