package dev.berth.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options of the top command. {@code --debug}, {@code --host}, {@code --embedded}, {@code --data-dir}
 * and {@code --engine-socket} are also accepted after a subcommand; {@code --backend} is not, because run, image and network commands
 * have their own {@code --backend} (the backend for that one operation). Image commands never
 * use this one: without their own {@code --backend} they act on Berth's image store.
 */
final class GlobalOptions {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean debug;

    @Option(names = {"-H", "--host"}, paramLabel = "ADDR", scope = ScopeType.INHERIT, defaultValue = "${env:BERTH_HOST}",
            description = "The daemon to talk to: unix:///path or tcp://host:port with $BERTH_TOKEN "
                    + "(default: $BERTH_HOST, else unix:///run/berth/berth.sock).")
    String host;

    @Option(names = "--embedded", scope = ScopeType.INHERIT,
            description = "Run the engine in this process instead of talking to a daemon (also: BERTH_EMBEDDED=1).")
    boolean embedded;

    /** --embedded, or BERTH_EMBEDDED set to 1/true/yes. */
    boolean embedded() {
        String env = System.getenv("BERTH_EMBEDDED");
        return embedded || env != null && java.util.Set.of("1", "true", "yes").contains(env.trim().toLowerCase(java.util.Locale.ROOT));
    }

    @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Where Berth keeps its records (--embedded and daemon; default: $BERTH_DATA_DIR or /var/lib/berth).")
    Path dataDir;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "${env:BERTH_BACKEND}",
            description = {"Default backend for workloads: docker, podman or oci (default: $BERTH_BACKEND, else the first available of them).",
                "Image commands ignore it: they use Berth's store unless given their own --backend."})
    String backend;

    @Option(names = "--engine-socket", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "Engine socket of the chosen backend (of every backend when none is chosen); --embedded and daemon.")
    String engineSocket;
}
