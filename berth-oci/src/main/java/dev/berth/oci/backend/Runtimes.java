package dev.berth.oci.backend;

import dev.berth.oci.runtime.RuntimeCli;
import dev.berth.oci.runtime.RuntimeProfile;
import dev.berth.oci.transport.CommandTransport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtimes this backend drives: the configured default, and any other a spec names
 * ({@code runtime}, or {@code isolation: sandbox} for runsc), each checked on first use.
 * Binaries come from {@code runtimePath.<name>} or the Debian default path.
 */
final class Runtimes {
    private final CommandTransport transport;
    private final Map<String, String> paths;
    private final String stateRoot;
    private final boolean netnsPrepared;
    private final String defaultName;
    private final Map<String, RuntimeCli> checked = new ConcurrentHashMap<>();

    Runtimes(CommandTransport transport, Map<String, String> paths, String stateRoot, boolean netnsPrepared, String defaultName) {
        this.transport = transport;
        this.paths = Map.copyOf(paths);
        this.stateRoot = stateRoot;
        this.netnsPrepared = netnsPrepared;
        this.defaultName = RuntimeProfile.named(defaultName).name();
    }

    String defaultName() {
        return defaultName;
    }

    /** The runtime {@code name} (null = the default), its binary verified once. */
    RuntimeCli get(String name) {
        RuntimeProfile profile = RuntimeProfile.named(name == null ? defaultName : name);
        return checked.computeIfAbsent(profile.name(), n -> {
            var cli = new RuntimeCli(transport, profile, paths.getOrDefault(n, profile.defaultBinary()),
                    stateRoot + "/" + n, netnsPrepared);
            cli.version();
            return cli;
        });
    }

    /** Whether {@code name}'s binary is usable, without failing. */
    boolean available(String name) {
        try {
            get(name);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
