package dev.berth.cli;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.ExecEvent;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.LogStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth exec}: run a command in a running workload, streaming its output; exits with its code. */
@Command(name = "exec", sortOptions = false,
        description = {"Run a command in a running workload and exit with its exit code.",
            "The command is passed as is (no shell)."})
final class ExecCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interactive"}, description = "Copy stdin to the command (closed at end of input).")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-terminal.")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "K=V", description = "Environment variable.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "USER[:GROUP] to run as.")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory.")
    String workdir;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD")
    List<String> command = new ArrayList<>();

    private final CliContext ctx;

    ExecCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var request = new ExecRequest(command, Flags.env("--env", env, System::getenv), user, workdir, tty, interactive);
        try (ExecSession session = ctx.client().execStream(name, request)) {
            if (interactive) {
                Thread.ofPlatform().daemon().name("berth-exec-stdin").start(() -> copyStdin(ctx.in, session.stdin()));
            }
            for (ExecEvent event = session.next(); event != null; event = session.next()) {
                switch (event) {
                    case ExecEvent.Output output -> {
                        PrintStream target = output.stream() == LogStream.STDERR ? ctx.err : ctx.out;
                        target.write(output.data(), 0, output.data().length);
                        target.flush();
                    }
                    case ExecEvent.Exited exited -> {
                        return exited.exitCode();
                    }
                }
            }
        }
        throw new BerthException(ErrorCode.BACKEND_ERROR, "exec in " + name + " ended without an exit code");
    }

    private void copyStdin(InputStream in, OutputStream stdin) {
        byte[] buffer = new byte[8192];
        try (stdin) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                stdin.write(buffer, 0, n);
                stdin.flush();
            }
        } catch (IOException e) {
            // The command may exit before reading all of its input; that is its choice, not an error.
            if (ctx.global.debug) {
                ctx.err.println("berth: stdin copy stopped: " + e);
            }
        }
    }
}
