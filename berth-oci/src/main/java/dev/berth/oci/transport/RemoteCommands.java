package dev.berth.oci.transport;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.HostCommands.Result;
import dev.berth.net.LocalHostCommands;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ssh and wsl transports share. Their target parses one command line with a POSIX
 * shell, so every argv travels as {@link ShellQuoting#command}; file operations are constant
 * scripts whose data arrives as quoted positional parameters or on stdin. Bounded calls also
 * run under the target's {@code timeout -s KILL}: killing the local client only closes the
 * channel, which a remote program that neither reads nor writes would never notice.
 */
final class RemoteCommands {
    static final Duration FILE_TIMEOUT = Duration.ofMinutes(2);
    static final Duration TAR_TIMEOUT = Duration.ofMinutes(30);

    /** Exit status of {@link #READ} when the file does not exist (sysexits' EX_NOINPUT). */
    private static final int NO_SUCH_FILE = 66;
    private static final String READ = "[ -e \"$1\" ] || exit 66; exec cat -- \"$1\"";
    /** tail counts from 1; a missing file is an empty read, like a file not grown yet. */
    private static final String READ_FROM = "[ -e \"$1\" ] || exit 0; exec tail -c +\"$2\" -- \"$1\"";
    private static final String WRITE = "set -e; tmp=$(mktemp \"$1.berth-XXXXXX\"); trap 'rm -f -- \"$tmp\"' EXIT; "
            + "cat >\"$tmp\"; chmod \"$2\" \"$tmp\"; mv -f -- \"$tmp\" \"$1\"";
    /** Owners as the numbers in the archive: the target's user names say nothing about a workload's files. */
    private static final String EXTRACT = "mkdir -p -- \"$1\" && exec tar --numeric-owner -x -f - -C \"$1\"";

    /** How one transport reaches its target. */
    interface Client {
        /** Starts the local client program (ssh, wsl.exe) that runs {@code command}, a ShellQuoting command line. */
        Process start(String command);

        /** What went wrong when the client itself failed (could not connect, ...); null when the status is the program's own. */
        String failure(int exitCode, String stderr);
    }

    private final String target;
    private final Client client;

    RemoteCommands(String target, Client client) {
        this.target = target;
        this.client = client;
    }

    Result run(List<String> argv, byte[] stdin, Duration timeout) {
        Output output = call(argv, stdin == null ? null : new ByteArrayInputStream(stdin), timeout);
        return new Result(output.exitCode(), new String(output.stdout(), StandardCharsets.UTF_8), output.stderr());
    }

    Process start(List<String> argv) {
        return client.start(ShellQuoting.command(argv));
    }

    void writeFile(String path, byte[] content, int mode) {
        requireAbsolute(path);
        if (mode < 0 || mode > 07777) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "mode: " + Integer.toOctalString(mode) + " is not a file mode (0..7777 octal)");
        }
        Output output = call(List.of("sh", "-c", WRITE, "sh", path, Integer.toOctalString(mode)),
                new ByteArrayInputStream(content), FILE_TIMEOUT);
        if (output.exitCode() != 0) {
            throw failed("cannot write " + path, output);
        }
    }

    byte[] readFile(String path) {
        requireAbsolute(path);
        Output output = call(List.of("sh", "-c", READ, "sh", path), null, FILE_TIMEOUT);
        if (output.exitCode() == NO_SUCH_FILE) {
            throw BerthException.notFound("file " + path + " on " + target);
        }
        if (output.exitCode() != 0) {
            throw failed("cannot read " + path, output);
        }
        return output.stdout();
    }

    byte[] readFileFrom(String path, long offset) {
        requireAbsolute(path);
        if (offset < 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "offset: " + offset + " must not be negative");
        }
        Output output = call(List.of("sh", "-c", READ_FROM, "sh", path, Long.toString(offset + 1)), null, FILE_TIMEOUT);
        if (output.exitCode() != 0) {
            throw failed("cannot read " + path + " from byte " + offset, output);
        }
        return output.stdout();
    }

    void extractTar(String dir, InputStream tar) {
        requireAbsolute(dir);
        Output output = call(List.of("sh", "-c", EXTRACT, "sh", dir), tar, TAR_TIMEOUT);
        if (output.exitCode() != 0) {
            throw failed("cannot extract a tar into " + dir, output);
        }
    }

    private Output call(List<String> argv, InputStream stdin, Duration timeout) {
        var bounded = new ArrayList<String>(List.of("timeout", "-s", "KILL", Long.toString(wholeSeconds(timeout))));
        bounded.addAll(argv);
        Process process = client.start(ShellQuoting.command(bounded));
        try {
            LocalHostCommands.Completed done = LocalHostCommands.complete(process, stdin, timeout)
                    .orElseThrow(() -> new BerthException(ErrorCode.TIMEOUT,
                            target + ": " + argv.getFirst() + " did not finish within " + timeout.toMillis() + " ms; killed"));
            String stderr = done.stderrText();
            String failure = client.failure(done.exitCode(), stderr);
            if (failure != null) {
                throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, target + ": " + failure);
            }
            return new Output(done.exitCode(), done.stdout(), stderr);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted while running " + argv.getFirst() + " on " + target, e);
        }
    }

    private BerthException failed(String what, Output output) {
        return new BerthException(ErrorCode.BACKEND_ERROR,
                target + ": " + what + " (exit " + output.exitCode() + "): " + output.stderr().strip());
    }

    private static long wholeSeconds(Duration timeout) {
        return Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    private static void requireAbsolute(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "path: '" + path + "' must be absolute on the target host (start with '/')");
        }
    }

    private record Output(int exitCode, byte[] stdout, String stderr) {
    }
}
