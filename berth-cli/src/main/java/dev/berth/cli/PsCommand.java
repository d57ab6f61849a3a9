package dev.berth.cli;

import dev.berth.api.model.WorkloadStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth ps}: workloads as a table, names only (-q) or JSON (the same objects as inspect). */
@Command(name = "ps", description = "List workloads (running ones unless -a).")
final class PsCommand implements Callable<Integer> {
    @Option(names = {"-a", "--all"}, description = "Include workloads that are not running.")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Print names only.")
    boolean quiet;

    @Mixin
    ListFormat format;

    private final CliContext ctx;

    PsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        format.print(ctx.out, quiet, () -> ctx.client().list(all), WorkloadStatus::name, JsonOutput::statuses,
                PsCommand::table);
        return 0;
    }

    private static Table table(List<WorkloadStatus> workloads) {
        var table = new Table("NAME", "BACKEND", "IMAGE", "STATE", "EXIT", "IP", "PORTS", "CREATED");
        Instant now = Instant.now();
        for (WorkloadStatus w : workloads) {
            table.row(w.name(), w.backend(), w.image(),
                    w.state() == null ? "" : w.state().name().toLowerCase(Locale.ROOT),
                    Formats.exit(w.exit()), w.ip(), Formats.ports(w.ports()), Formats.ago(w.createdAt(), now));
        }
        return table;
    }
}
