package dev.berth.cli;

import dev.berth.api.error.BerthException;
import dev.berth.api.spec.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Lifecycle verbs over one or more workloads: start, stop, restart, kill, rm, wait. Each name is
 * handled in turn; a failure prints one line and the command exits 125 after the rest are done.
 */
final class WorkloadCommands {
    private WorkloadCommands() {
    }

    /** Applies {@code action} to each name; 0 when all succeeded, else 125. */
    static int each(CliContext ctx, List<String> names, Consumer<String> action) {
        boolean ok = true;
        for (String name : names) {
            ok &= ctx.attempt(() -> action.accept(name));
            ctx.out.flush();
        }
        return ok ? 0 : CliContext.BERTH_ERROR;
    }

    @Command(name = "start", description = "Start created or exited workloads; prints each name.")
    static final class Start implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names = new ArrayList<>();

        private final CliContext ctx;

        Start(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            return each(ctx, names, name -> ctx.out.println(ctx.client().start(name).name()));
        }
    }

    @Command(name = "stop", description = "Stop workloads: SIGTERM, then SIGKILL after the grace period; prints each name.")
    static final class Stop implements Callable<Integer> {
        @Option(names = {"-t", "--time"}, paramLabel = "SECS", defaultValue = "10",
                description = "Seconds to wait before killing (default: ${DEFAULT-VALUE}).")
        String seconds;

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names = new ArrayList<>();

        private final CliContext ctx;

        Stop(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Duration grace = Duration.ofSeconds(Flags.count("--time", seconds));
            return each(ctx, names, name -> ctx.out.println(ctx.client().stop(name, grace).name()));
        }
    }

    @Command(name = "restart", description = "Stop and start workloads again; prints each name.")
    static final class Restart implements Callable<Integer> {
        @Option(names = {"-t", "--time"}, paramLabel = "SECS", defaultValue = "10",
                description = "Seconds to wait before killing (default: ${DEFAULT-VALUE}).")
        String seconds;

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names = new ArrayList<>();

        private final CliContext ctx;

        Restart(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Duration grace = Duration.ofSeconds(Flags.count("--time", seconds));
            return each(ctx, names, name -> ctx.out.println(ctx.client().restart(name, grace).name()));
        }
    }

    @Command(name = "kill", description = "Send a signal to workloads' main process; prints each name.")
    static final class Kill implements Callable<Integer> {
        @Option(names = {"-s", "--signal"}, paramLabel = "SIG", defaultValue = "SIGKILL",
                description = "Signal name or number (default: ${DEFAULT-VALUE}).")
        String signal;

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names = new ArrayList<>();

        private final CliContext ctx;

        Kill(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Signal sig = Signal.parse("--signal", signal);
            return each(ctx, names, name -> ctx.out.println(ctx.client().kill(name, sig).name()));
        }
    }

    @Command(name = "rm", description = "Remove workloads; prints each name.")
    static final class Remove implements Callable<Integer> {
        @Option(names = {"-f", "--force"}, description = "Remove running workloads too; no error for missing ones.")
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names = new ArrayList<>();

        private final CliContext ctx;

        Remove(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            return each(ctx, names, name -> {
                if (ctx.client().remove(name, force)) {
                    ctx.out.println(name);
                } else if (!force) {
                    throw BerthException.notFound("workload '" + name + "'");
                }
            });
        }
    }

    @Command(name = "wait", description = {"Wait for workloads to exit and print each exit code.",
        "Exits with the (last) workload's exit code."})
    static final class Wait implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names = new ArrayList<>();

        private final CliContext ctx;

        Wait(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            int[] last = {0};
            int result = each(ctx, names, name -> {
                last[0] = ctx.client().waitExit(name, null).code();
                ctx.out.println(last[0]);
            });
            return result != 0 ? result : last[0];
        }
    }
}
