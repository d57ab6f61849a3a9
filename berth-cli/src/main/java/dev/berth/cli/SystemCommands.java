package dev.berth.cli;

import dev.berth.api.model.BackendResource;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.model.ReconcileReport;
import dev.berth.api.model.ReconcileReport.Outcome;
import dev.berth.api.model.ReconcileReport.WorkloadOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth system ...}: crash recovery and cleanup of labelled backend resources. */
@Command(name = "system", synopsisSubcommandLabel = "COMMAND", description = "Recover state and clean up after crashes.")
final class SystemCommands extends CommandGroup {
    @Command(name = "reconcile", description = {
            "Check every workload record against its backend: running workloads are reattached, those that",
            "exited meanwhile get their real exit code, those whose container is gone become failed (lost)."})
    static final class Reconcile implements Callable<Integer> {
        private final CliContext ctx;

        Reconcile(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ReconcileReport report = ctx.client().reconcile();
            if (report.workloads().isEmpty()) {
                ctx.out.println("No workloads to reconcile.");
                return 0;
            }
            var table = new Table("NAME", "BACKEND", "OUTCOME", "STATE", "DETAIL");
            for (WorkloadOutcome w : report.workloads()) {
                table.row(w.name(), w.backend(), word(w.outcome()), w.state() == null ? "" : word(w.state()), detail(w));
            }
            table.print(ctx.out);
            var parts = new ArrayList<String>();
            report.counts().forEach((outcome, n) -> {
                if (n > 0) {
                    parts.add(n + " " + word(outcome));
                }
            });
            ctx.out.println("Reconciled " + count(report.workloads().size(), "workload") + ": " + String.join(", ", parts) + ".");
            ctx.out.flush();
            var unreachable = report.workloads().stream().filter(w -> w.outcome() == Outcome.UNREACHABLE).toList();
            unreachable.forEach(w -> ctx.err.println("berth: cannot reconcile " + w.name() + ": " + CliContext.oneLine(w.message())));
            return unreachable.isEmpty() ? 0 : CliContext.BERTH_ERROR;
        }

        private static String detail(WorkloadOutcome w) {
            String text = switch (w.outcome()) {
                case EXITED -> "exit code " + Formats.exit(w.exit());
                case REATTACHED -> "";
                default -> w.message() == null ? "" : CliContext.oneLine(w.message());
            };
            return w.adopted() ? (text.isEmpty() ? "handle adopted" : "handle adopted; " + text) : text;
        }
    }

    @Command(name = "reap", description = {
            "Remove the containers and networks carrying this Berth's owner id that no record explains",
            "(left by a crash). Resources of other owners are never touched."})
    static final class Reap implements Callable<Integer> {
        private final CliContext ctx;

        Reap(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            return print(ctx, ctx.client().reap(), "");
        }
    }

    @Command(name = "prune", description = {
            "Remove every container and network labelled with another Berth's owner id ('berth info' lists",
            "them). Make sure that Berth is gone: its workloads are removed too."})
    static final class Prune implements Callable<Integer> {
        @Option(names = "--owner", required = true, paramLabel = "ID", description = "The owner id whose resources to remove.")
        String owner;

        private final CliContext ctx;

        Prune(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            return print(ctx, ctx.client().pruneOwner(owner), " of owner " + owner);
        }
    }

    /** One line per removed resource, a summary, and one line on stderr per failure (exit 125). */
    private static int print(CliContext ctx, CleanupReport report, String whose) {
        for (CleanupReport.Entry e : report.removed()) {
            ctx.out.println("removed " + e.resource().describe() + ": " + e.reason());
        }
        ctx.out.println(report.removed().isEmpty() ? "Nothing to remove" + whose + "."
                : "Removed " + count(report.removed().size(), "resource") + whose + ".");
        ctx.out.flush();
        for (String skipped : report.skippedBackends()) {
            ctx.err.println("berth: note: backend not checked: " + CliContext.oneLine(skipped));
        }
        for (CleanupReport.Entry e : report.failed()) {
            String what = e.resource() == null ? "" : "cannot remove " + e.resource().describe() + ": ";
            ctx.err.println("berth: " + what + CliContext.oneLine(e.reason()));
        }
        return report.failed().isEmpty() ? 0 : CliContext.BERTH_ERROR;
    }

    /** "2 workloads, 1 network on docker" for one owner's resources. */
    static String summary(List<BackendResource> resources) {
        var kinds = new TreeMap<BackendResource.Kind, Long>(resources.stream()
                .collect(Collectors.groupingBy(BackendResource::kind, Collectors.counting())));
        String counts = kinds.entrySet().stream().map(e -> count(e.getValue(), word(e.getKey())))
                .collect(Collectors.joining(", "));
        String backends = resources.stream().map(BackendResource::backend).distinct().sorted().collect(Collectors.joining(", "));
        return counts + " on " + backends;
    }

    static String summaries(Map<String, List<BackendResource>> byOwner, String indent) {
        return byOwner.entrySet().stream().map(e -> indent + e.getKey() + ": " + summary(e.getValue()))
                .collect(Collectors.joining(System.lineSeparator()));
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
