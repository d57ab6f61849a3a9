package dev.berth.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/**
 * The {@code berth} command. Exit codes: 0 ok; the workload's own code for foreground
 * {@code run}, {@code exec} and {@code wait}; 125 for any Berth or usage error, reported as one
 * line on stderr (stack traces only with --debug).
 */
public final class Main {
    private static final List<String> VALUED_GLOBALS = List.of("--data-dir", "--backend", "--engine-socket", "--host", "-H");

    private Main() {
    }

    public static void main(String[] args) {
        var out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        var err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        // The java.base console is null unless stdin and stdout are terminals (JDK 22+ defaults
        // to one that never is null), and it does not load a line editor.
        if (System.getProperty("jdk.console") == null) {
            System.setProperty("jdk.console", "java.base");
        }
        var ctx = new CliContext(out, err, System.in, ClientFactory::create, () -> System.console() != null);
        int code = execute(args, ctx);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Parses and runs one command line against {@code ctx}, returning the exit code. */
    static int execute(String[] args, CliContext ctx) {
        try (ctx) {
            return commandLine(ctx, args).execute(args);
        } catch (RuntimeException e) {
            return ctx.fail(e);
        }
    }

    /** Every command, in the order --help lists them. */
    static final List<String> COMMANDS = List.of("run", "apply", "ps", "inspect", "logs", "exec", "start", "stop",
            "restart", "kill", "rm", "wait", "stats", "events", "image", "network", "system", "info", "daemon", "version", "help");

    private static Object newCommand(String name, CliContext ctx) {
        return switch (name) {
            case "run" -> new RunCommand(ctx);
            case "apply" -> new ApplyCommand(ctx);
            case "ps" -> new PsCommand(ctx);
            case "inspect" -> new InspectCommand(ctx);
            case "logs" -> new LogsCommand(ctx);
            case "exec" -> new ExecCommand(ctx);
            case "start" -> new WorkloadCommands.Start(ctx);
            case "stop" -> new WorkloadCommands.Stop(ctx);
            case "restart" -> new WorkloadCommands.Restart(ctx);
            case "kill" -> new WorkloadCommands.Kill(ctx);
            case "rm" -> new WorkloadCommands.Remove(ctx);
            case "wait" -> new WorkloadCommands.Wait(ctx);
            case "stats" -> new StatsCommand(ctx);
            case "image" -> new CommandLine(new ImageCommands())
                    .addSubcommand("ls", new ImageCommands.Ls(ctx))
                    .addSubcommand("pull", new ImageCommands.Pull(ctx))
                    .addSubcommand("rm", new ImageCommands.Remove(ctx))
                    .addSubcommand("prune", new ImageCommands.Prune(ctx))
                    .addSubcommand("tag", new ImageCommands.Tag(ctx))
                    .addSubcommand("import", new ImageCommands.Import(ctx))
                    .addSubcommand("push", new ImageCommands.Push(ctx))
                    .addSubcommand("inspect", new ImageCommands.Inspect(ctx))
                    .addSubcommand("unpack", new ImageCommands.Unpack(ctx));
            case "network" -> new CommandLine(new NetworkCommands())
                    .addSubcommand("create", new NetworkCommands.Create(ctx))
                    .addSubcommand("ls", new NetworkCommands.Ls(ctx))
                    .addSubcommand("rm", new NetworkCommands.Remove(ctx));
            case "system" -> new CommandLine(new SystemCommands())
                    .addSubcommand("reconcile", new SystemCommands.Reconcile(ctx))
                    .addSubcommand("reap", new SystemCommands.Reap(ctx))
                    .addSubcommand("prune", new SystemCommands.Prune(ctx));
            case "info" -> new InfoCommand(ctx);
            case "daemon" -> new DaemonCommand(ctx);
            case "events" -> new EventsCommand(ctx);
            case "version" -> new VersionCommand(ctx);
            case "help" -> new HelpCommand(ctx);
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    static CommandLine commandLine(CliContext ctx, String[] args) {
        var cl = new CommandLine(new BerthCommand(ctx));
        // Building a picocli command costs reflection; build only the one being run, or all of
        // them when the top command itself runs (usage, unknown command).
        String wanted = subcommandOf(args);
        for (String name : COMMANDS) {
            if (wanted == null || wanted.equals(name)) {
                cl.addSubcommand(name, newCommand(name, ctx));
            }
        }

        // Argument vectors pass through untouched: no @file expansion, quotes kept, and
        // everything after IMAGE (run) or NAME (exec) belongs to the workload's command.
        cl.setExpandAtFiles(false);
        cl.setTrimQuotes(false);
        for (String name : List.of("run", "exec")) {
            if (cl.getSubcommands().containsKey(name)) {
                cl.getSubcommands().get(name).setStopAtPositional(true);
            }
        }

        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setOut(new PrintWriter(ctx.out, true));
        cl.setErr(new PrintWriter(ctx.err, true));
        cl.setParameterExceptionHandler((e, unused) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            ctx.err.println("berth: " + CliContext.oneLine(e.getMessage()) + " (see '" + command + " --help')");
            if (ctx.global.debug) {
                e.printStackTrace(ctx.err);
            }
            return CliContext.BERTH_ERROR;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> ctx.fail(e));
        return cl;
    }

    /** The subcommand named in {@code args} after the top command's own options, or null. */
    static String subcommandOf(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (VALUED_GLOBALS.contains(arg)) {
                i++;
            } else if (!arg.equals("--debug") && !arg.equals("--embedded") && !isValuedGlobal(arg)) {
                return COMMANDS.contains(arg) && !arg.equals("help") ? arg : null;
            }
        }
        return null;
    }

    private static boolean isValuedGlobal(String arg) {
        for (String option : VALUED_GLOBALS) {
            if (arg.startsWith(option + "=")) {
                return true;
            }
        }
        return false;
    }
}
