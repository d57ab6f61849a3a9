package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth help [COMMAND...]}: the same text as {@code berth [COMMAND...] --help}. */
@Command(name = "help", description = "Show help for a command, e.g. 'berth help image pull'.")
final class HelpCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "COMMAND")
    List<String> path = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final CliContext ctx;

    HelpCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        CommandLine command = spec.root().commandLine();
        for (String name : path) {
            CommandLine sub = command.getSubcommands().get(name);
            if (sub == null) {
                throw new ParameterException(spec.commandLine(), "unknown command '" + String.join(" ", path) + "'");
            }
            command = sub;
        }
        command.usage(ctx.out);
        return 0;
    }
}
