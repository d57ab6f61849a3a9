package dev.berth.oci.transport;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs programs in a WSL distribution through {@code wsl.exe --distribution D --exec ...}.
 *
 * <p>Windows hands a program one command line, not an argv: {@code wsl.exe --exec} splits it
 * with the Windows rules and execs the result without a shell, while {@code wsl.exe --} gives
 * the rest of the line to the distribution's default shell. Either way the Linux argv depends
 * on how the JVM joined our arguments into that line, and Java's Windows join is heuristic
 * (an argument already wrapped in quotes passes verbatim, inner quotes are not escaped in the
 * default mode), so arbitrary bytes cannot be carried through it exactly. Hence wsl.exe only
 * ever receives constant arguments without quotes or backslashes, and the real command travels
 * in the environment: {@value #COMMAND_VARIABLE}, shared into the distribution by
 * {@code WSLENV}, holds a {@link ShellQuoting} command line that a constant {@code /bin/sh}
 * script evaluates (globbing and field splitting off). Environment blocks are UTF-16 on
 * Windows, so nothing is lost to a code page.
 */
public final class WslTransport extends RemoteTransport {
    /** The environment variable that carries the quoted command line into the distribution. */
    static final String COMMAND_VARIABLE = "BERTH_WSL_COMMAND";
    /** Expands the variable as one word (IFS empty, no globbing) and lets the shell parse it. */
    static final String EVALUATOR = "set -f; IFS=; eval exec $" + COMMAND_VARIABLE;
    /** Windows limits one environment variable to 32767 UTF-16 units. */
    private static final int MAX_COMMAND = 32_000;
    private static final Pattern DISTRO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String distro;
    private final String wslExe;
    private final RemoteCommands remote;

    /** The distribution {@code distro} through {@code wsl.exe} found on PATH. */
    public WslTransport(String distro) {
        this(distro, "wsl.exe");
    }

    /** Through another wsl.exe, e.g. {@code /mnt/c/Windows/System32/wsl.exe} from inside a WSL distribution. */
    public WslTransport(String distro, String wslExe) {
        this.distro = requireDistro(distro);
        this.wslExe = wslExe;
        this.remote = new RemoteCommands(describe(), new RemoteCommands.Client() {
            @Override
            public Process start(String command) {
                return startWsl(command);
            }

            @Override
            public String failure(int exitCode, String stderr) {
                // wsl.exe's own errors (no such distribution, WSL not installed) exit with -1,
                // which no Linux program can; its messages are UTF-16.
                return exitCode == -1 ? "wsl.exe failed: " + stderr.replace("\0", "").strip() : null;
            }
        });
    }

    /** {@code distro} when it is a valid distribution name; it is a wsl.exe argument, so nothing else passes. */
    static String requireDistro(String distro) {
        if (distro == null || !DISTRO.matcher(distro).matches()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "transport: WSL distribution '" + distro + "' is invalid (allowed: letters, digits, '.', '_', '-', "
                            + "not starting with '.', '_' or '-'); allowed: " + TransportUris.FORMS,
                    "transport", null);
        }
        return distro;
    }

    /** wsl.exe's arguments: constant apart from the validated distribution name. */
    List<String> clientArgv() {
        return List.of(wslExe, "--distribution", distro, "--cd", "/", "--exec", "/bin/sh", "-c", EVALUATOR);
    }

    @Override
    protected RemoteCommands remote() {
        return remote;
    }

    @Override
    public String describe() {
        return "wsl " + distro;
    }

    @Override
    public void close() {
        // Nothing held open: every call is its own wsl.exe.
    }

    private Process startWsl(String command) {
        if (command.length() > MAX_COMMAND) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "argv: " + command.length() + " characters once quoted; WSL carries at most " + MAX_COMMAND
                            + " (pass large data on stdin)");
        }
        var builder = new ProcessBuilder(clientArgv());
        var env = builder.environment();
        env.put(COMMAND_VARIABLE, command);
        String shared = env.getOrDefault("WSLENV", "");
        env.put("WSLENV", shared.isEmpty() ? COMMAND_VARIABLE : shared + ":" + COMMAND_VARIABLE);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, describe() + ": cannot run " + wslExe + ": " + e.getMessage(), e);
        }
    }
}
