package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.model.BackendInfo;
import dev.berth.api.model.BackendResource;
import dev.berth.api.model.SystemInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth info}: Berth's own settings and, per backend, what it talks to or why it cannot. */
@Command(name = "info", description = "Show Berth's configuration and each backend's state.")
final class InfoCommand implements Callable<Integer> {
    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    private final CliContext ctx;

    InfoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        boolean json = switch (format) {
            case "json" -> true;
            case "text" -> false;
            default -> throw Flags.invalid("--format", format, "allowed: text, json");
        };
        SystemInfo info = ctx.client().info();
        Map<String, List<BackendResource>> others;
        String othersError = null;
        try {
            others = ctx.client().foreignResources();
        } catch (RuntimeException e) {
            others = null;
            othersError = CliContext.oneLine(e.getMessage());
        }
        if (json) {
            var tree = (ObjectNode) JsonOutput.tree(info);
            tree.set("otherOwners", JsonOutput.tree(others));
            if (othersError != null) {
                tree.put("otherOwnersError", othersError);
            }
            JsonOutput.print(ctx.out, tree);
            return 0;
        }
        var out = ctx.out;
        out.println("Berth version:   " + orDash(info.berthVersion()));
        out.println("Owner id:        " + orDash(info.ownerId()));
        out.println("Data dir:        " + orDash(info.dataDir()));
        out.println("Default backend: " + orDash(info.defaultBackend()));
        out.println("Backends:");
        for (BackendInfo b : info.backends()) {
            if (!b.available()) {
                out.println("  " + b.name() + ": unavailable: " + orDash(b.error()));
                continue;
            }
            out.println("  " + b.name() + ": available");
            out.println("    Engine:    " + orDash(b.engine()) + " " + orDash(b.version()));
            out.println("    API:       " + orDash(b.apiVersion()));
            out.println("    Endpoint:  " + orDash(b.endpoint()));
            out.println("    Degraded:  " + (b.degraded().isEmpty() ? "none" : String.join("; ", b.degraded())));
            if (b.error() != null) {
                out.println("    Error:     " + b.error());
            }
        }
        if (others == null) {
            out.println("Other owners:    unknown: " + othersError);
        } else if (others.isEmpty()) {
            out.println("Other owners:    none");
        } else {
            // Resources another Berth (another data dir or daemon) labelled; never reaped by this one.
            out.println("Other owners:    " + others.size() + " (remove with 'berth system prune --owner ID')");
            out.println(SystemCommands.summaries(others, "  "));
        }
        return 0;
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
