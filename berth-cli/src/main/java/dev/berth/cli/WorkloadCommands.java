package dev.berth.cli;

import dev.berth.api.error.BerthException;
import dev.berth.api.spec.Signal;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Lifecycle verbs over one or more workloads: start, stop, restart, kill, rm, wait. Each name is
 * handled in turn; a failure prints one line and the command exits 125 after the rest are done.
 */
final class WorkloadCommands {
    private WorkloadCommands() {
    }

    /** The grace period of stop and restart. */
    static final class GraceOption {
        @Option(names = {"-t", "--time"}, paramLabel = "SECS", defaultValue = "10",
                description = "Seconds to wait before killing (default: ${DEFAULT-VALUE}).")
        String seconds;

        Duration grace() {
            return Duration.ofSeconds(Flags.count("--time", seconds));
        }
    }

    @Command(name = "start", description = "Start created or exited workloads; prints each name.")
    static final class Start extends MultiNameCommand {
        Start(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            return ctx.each(names, name -> ctx.out.println(ctx.client().start(name).name()));
        }
    }

    @Command(name = "stop", description = "Stop workloads: SIGTERM, then SIGKILL after the grace period; prints each name.")
    static final class Stop extends MultiNameCommand {
        @Mixin
        GraceOption time;

        Stop(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Duration grace = time.grace();
            return ctx.each(names, name -> ctx.out.println(ctx.client().stop(name, grace).name()));
        }
    }

    @Command(name = "restart", description = "Stop and start workloads again; prints each name.")
    static final class Restart extends MultiNameCommand {
        @Mixin
        GraceOption time;

        Restart(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Duration grace = time.grace();
            return ctx.each(names, name -> ctx.out.println(ctx.client().restart(name, grace).name()));
        }
    }

    @Command(name = "kill", description = "Send a signal to workloads' main process; prints each name.")
    static final class Kill extends MultiNameCommand {
        @Option(names = {"-s", "--signal"}, paramLabel = "SIG", defaultValue = "SIGKILL",
                description = "Signal name or number (default: ${DEFAULT-VALUE}).")
        String signal;

        Kill(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            Signal sig = Signal.parse("--signal", signal);
            return ctx.each(names, name -> ctx.out.println(ctx.client().kill(name, sig).name()));
        }
    }

    @Command(name = "rm", description = "Remove workloads; prints each name.")
    static final class Remove extends MultiNameCommand {
        @Option(names = {"-f", "--force"}, description = "Remove running workloads too; no error for missing ones.")
        boolean force;

        Remove(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            return ctx.each(names, name -> {
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
    static final class Wait extends MultiNameCommand {
        Wait(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            int[] last = {0};
            int result = ctx.each(names, name -> {
                last[0] = ctx.client().waitExit(name, null).code();
                ctx.out.println(last[0]);
            });
            return result != 0 ? result : last[0];
        }
    }
}
