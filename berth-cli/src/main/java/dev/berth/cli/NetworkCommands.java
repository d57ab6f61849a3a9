package dev.berth.cli;

import dev.berth.api.error.BerthException;
import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth network ...}: Berth networks. */
@Command(name = "network", synopsisSubcommandLabel = "COMMAND", description = "Manage networks.")
final class NetworkCommands extends CommandGroup {
    @Command(name = "create", description = "Create a network; prints its name.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--backend", paramLabel = "B", description = "Backend (default: the default backend).")
        String backend;

        @Option(names = "--internal", description = "No route out of the network.")
        boolean internal;

        @Option(names = "--subnet", paramLabel = "CIDR", description = "Subnet, e.g. 10.89.0.0/24.")
        String subnet;

        @Parameters(paramLabel = "NAME")
        String name;

        private final CliContext ctx;

        Create(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            var spec = new NetworkSpec(name, internal, subnet);
            ctx.out.println(ctx.client().createNetwork(backend, spec).name());
            return 0;
        }
    }

    @Command(name = "ls", description = "List networks.")
    static final class Ls implements Callable<Integer> {
        @Option(names = {"-q", "--quiet"}, description = "Print names only.")
        boolean quiet;

        @Mixin
        ListFormat format;

        private final CliContext ctx;

        Ls(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            format.print(ctx.out, quiet, () -> ctx.client().listNetworks(), NetworkInfo::name, JsonOutput::tree,
                    Ls::table);
            return 0;
        }

        private static Table table(List<NetworkInfo> networks) {
            var table = new Table("NAME", "BACKEND", "ID", "INTERNAL", "SUBNET", "GATEWAY");
            for (NetworkInfo n : networks) {
                table.row(n.name(), n.backend(), Formats.shortId(n.id()), Boolean.toString(n.internal()),
                        n.subnet(), n.gateway());
            }
            return table;
        }
    }

    @Command(name = "rm", description = "Remove networks; prints each name.")
    static final class Remove extends MultiNameCommand {
        Remove(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() {
            return ctx.each(names, name -> {
                if (!ctx.client().removeNetwork(name)) {
                    throw BerthException.notFound("network '" + name + "'");
                }
                ctx.out.println(name);
            });
        }
    }
}
