package dev.berth.net.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.HostCommands;
import dev.berth.net.HostCommands.Result;
import dev.berth.net.ipam.Ipv4Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * iproute2 through {@link HostCommands}: batches go to {@code ip -b -} on stdin (one process for
 * many changes), listings are read as JSON ({@code ip -j}). Batch lines are built only from
 * Berth's own hashed names, addresses and numbers, never from user text.
 */
public final class Ip {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HostCommands host;
    private final ObjectMapper json = new ObjectMapper();

    public Ip(HostCommands host) {
        this.host = host;
    }

    /** A link as {@code ip -j link} shows it; {@code alias} is its ifalias or null. */
    public record Link(String name, String alias) {
    }

    /** Runs {@code lines} in one {@code ip} process (inside {@code netns} when not null); any failure throws. */
    public void batch(String what, String netns, List<String> lines) {
        Result result = host.run(argv(netns, "-b", "-"), stdin(lines), TIMEOUT);
        if (!result.ok()) {
            throw failure(what, result);
        }
    }

    /**
     * Runs every line even after failures, for teardown: a device or namespace that is already
     * gone is what teardown wants; any other failure throws.
     */
    public void teardown(String what, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        Result result = host.run(List.of("ip", "-force", "-b", "-"), stdin(lines), TIMEOUT);
        boolean onlyMissing = result.stderr().lines().allMatch(line -> line.isBlank() || line.startsWith("Command failed")
                || line.startsWith("Cannot find device") || line.endsWith("No such file or directory"));
        if (!result.ok() && !onlyMissing) {
            throw failure(what, result);
        }
    }

    public boolean linkExists(String name) {
        return host.run(List.of("ip", "-o", "link", "show", "dev", name)).ok();
    }

    public List<Link> links() {
        var links = new ArrayList<Link>();
        for (JsonNode node : list("list links", "-j", "link", "show")) {
            links.add(new Link(node.path("ifname").asText(), node.hasNonNull("ifalias") ? node.get("ifalias").asText() : null));
        }
        return links;
    }

    public List<String> namespaces() {
        var names = new ArrayList<String>();
        list("list network namespaces", "-j", "netns", "list").forEach(node -> names.add(node.path("name").asText()));
        return names;
    }

    /** Every IPv4 prefix the host routes or holds an address in, in any table: what a new subnet must avoid. */
    public List<Ipv4Cidr> hostPrefixes() {
        var prefixes = new ArrayList<Ipv4Cidr>();
        for (JsonNode route : list("list routes", "-j", "-4", "route", "show", "table", "all")) {
            parsePrefix(route.path("dst").asText()).ifPresent(prefixes::add);
        }
        for (JsonNode link : list("list addresses", "-j", "-4", "addr", "show")) {
            for (JsonNode address : link.path("addr_info")) {
                parsePrefix(address.path("local").asText() + "/" + address.path("prefixlen").asInt(32)).ifPresent(prefixes::add);
            }
        }
        return prefixes;
    }

    private static Optional<Ipv4Cidr> parsePrefix(String text) {
        if (text.isEmpty() || text.equals("default")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Ipv4Cidr.parse(text));
        } catch (BerthException e) {
            return Optional.empty();
        }
    }

    private List<JsonNode> list(String what, String... args) {
        Result result = host.run(argv(null, args));
        if (!result.ok()) {
            throw failure(what, result);
        }
        if (result.stdout().isBlank()) {
            return List.of();
        }
        try {
            var nodes = new ArrayList<JsonNode>();
            json.readTree(result.stdout()).forEach(nodes::add);
            return nodes;
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "cannot " + what + ": ip printed no JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> argv(String netns, String... args) {
        var argv = new ArrayList<String>();
        argv.add("ip");
        if (netns != null) {
            argv.addAll(List.of("-n", netns));
        }
        argv.addAll(List.of(args));
        return argv;
    }

    private static byte[] stdin(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static BerthException failure(String what, Result result) {
        String detail = Stream.of(result.stderr(), result.stdout()).map(String::strip).filter(s -> !s.isEmpty())
                .findFirst().orElse("exit code " + result.exitCode());
        return new BerthException(ErrorCode.BACKEND_ERROR, "cannot " + what + ": " + detail);
    }
}
