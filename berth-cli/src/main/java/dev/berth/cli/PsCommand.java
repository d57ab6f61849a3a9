package dev.berth.cli;

import dev.berth.api.model.WorkloadStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth ps}: workloads as a table, names only (-q) or JSON (the same objects as inspect). */
@Command(name = "ps", description = "List workloads (running ones unless -a).")
final class PsCommand implements Callable<Integer> {
    @Option(names = {"-a", "--all"}, description = "Include workloads that are not running.")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Print names only.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    private final CliContext ctx;

    PsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        boolean json = Output.json(format);
        List<WorkloadStatus> workloads = ctx.client().list(all);
        if (quiet) {
            workloads.forEach(w -> ctx.out.println(w.name()));
        } else if (json) {
            JsonOutput.print(ctx.out, JsonOutput.statuses(workloads));
        } else {
            var table = new Table("NAME", "BACKEND", "IMAGE", "STATE", "EXIT", "IP", "PORTS", "CREATED");
            Instant now = Instant.now();
            for (WorkloadStatus w : workloads) {
                table.row(w.name(), w.backend(), w.image(),
                        w.state() == null ? "" : w.state().name().toLowerCase(Locale.ROOT),
                        Formats.exit(w.exit()), w.ip(), Formats.ports(w.ports()), Formats.ago(w.createdAt(), now));
            }
            table.print(ctx.out);
        }
        return 0;
    }
}
