package dev.berth.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The top command: global options; without a subcommand it prints the usage. */
@Command(name = "berth", versionProvider = VersionCommand.Provider.class, sortOptions = false,
        description = "Run, isolate and observe container workloads on any runtime.",
        footer = {"", "Run 'berth COMMAND --help' for more information on a command.", ""})
final class BerthCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Spec
    CommandSpec spec;

    private final CliContext ctx;

    BerthCommand(CliContext ctx) {
        this.ctx = ctx;
        this.global = ctx.global;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.out);
        return 0;
    }
}
