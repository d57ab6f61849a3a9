package dev.berth.oci.transport;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.LocalHostCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs programs on another host with the OpenSSH client: key authentication only (BatchMode,
 * no password or keyboard-interactive prompts), the host key checked strictly against the
 * target's known_hosts, no user ssh_config ({@code -F none}: the {@link SshTarget} is the whole
 * configuration), no pty (stdio stays binary-clean).
 *
 * <p>sshd hands the command to the remote user's login shell, so every argv element is encoded
 * with {@link ShellQuoting}; that shell must be POSIX (sh, bash, dash, zsh, ksh). With
 * multiplexing, one master connection (ControlMaster, ControlPersist) carries every call as a
 * new session: a call costs a round trip, not a handshake. The server's {@code MaxSessions}
 * (default 10) bounds how many calls may run at once over that connection.
 */
public final class SshTransport extends RemoteTransport {
    private static final System.Logger LOG = System.getLogger(SshTransport.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Idle seconds after which a master left behind by a JVM that never called close() exits. */
    private static final String CONTROL_PERSIST = "600";
    /** What the OpenSSH client prints when it, not the remote program, failed (it then exits 255). */
    private static final Pattern CLIENT_ERROR = Pattern.compile(
            "^(ssh: |Host key verification failed|.*Permission denied \\(|Connection (closed|reset|timed out)"
                    + "|kex_exchange_identification|mux_client|Control socket)",
            Pattern.MULTILINE);

    private final SshTarget target;
    private final LocalHostCommands local = new LocalHostCommands();
    private final Path controlDir;
    private final RemoteCommands remote;
    private final Object masterLock = new Object();
    private boolean masterStarted; // guarded by masterLock
    private boolean closed; // guarded by masterLock

    public SshTransport(SshTarget target) {
        this.target = target;
        this.controlDir = target.multiplex() ? createControlDir() : null;
        this.remote = new RemoteCommands(describe(), new RemoteCommands.Client() {
            @Override
            public Process start(String command) {
                startMaster();
                return local.start(clientArgv(command));
            }

            @Override
            public String failure(int exitCode, String stderr) {
                return exitCode == 255 && CLIENT_ERROR.matcher(stderr).find() ? "ssh failed: " + stderr.strip() : null;
            }
        });
    }

    @Override
    protected RemoteCommands remote() {
        return remote;
    }

    @Override
    public String describe() {
        return "ssh " + target.address();
    }

    public SshTarget target() {
        return target;
    }

    /** Stops the master connection and removes its socket directory. */
    @Override
    public void close() {
        if (controlDir == null) {
            return;
        }
        synchronized (masterLock) {
            closed = true;
            if (masterStarted) {
                var exit = new ArrayList<>(options());
                exit.addAll(List.of("-O", "exit", "--", target.host()));
                Result result = local.run(exit, null, CONNECT_TIMEOUT);
                if (!result.ok()) {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: stopping the master connection: {1}", describe(), result.stderr().strip());
                }
                masterStarted = false;
            }
            try (Stream<Path> left = Files.list(controlDir)) {
                for (Path p : left.toList()) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(controlDir);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: cannot remove {1}: {2}", describe(), controlDir, e.getMessage());
            }
        }
    }

    /**
     * Opens the master connection once, in the background ({@code -N -f}), before the first
     * call: concurrent first calls would otherwise each try to become the master. A connection
     * or authentication failure is reported here, unambiguously (no remote program ran).
     */
    private void startMaster() {
        if (controlDir == null) {
            return;
        }
        synchronized (masterLock) {
            if (closed) {
                throw new BerthException(ErrorCode.INTERNAL, describe() + ": the transport is closed");
            }
            if (masterStarted) {
                return;
            }
            var argv = new ArrayList<>(options());
            argv.addAll(List.of("-o", "ControlMaster=yes", "-N", "-f", "--", target.host()));
            Result result = local.run(argv, null, CONNECT_TIMEOUT);
            if (!result.ok()) {
                throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, describe() + ": cannot connect: " + result.stderr().strip());
            }
            masterStarted = true;
        }
    }

    /** ssh with {@code command}: {@code ControlMaster=auto} re-creates the master if it went away. */
    private List<String> clientArgv(String command) {
        var argv = new ArrayList<>(options());
        if (controlDir != null) {
            argv.addAll(List.of("-o", "ControlMaster=auto"));
        }
        argv.addAll(List.of("-T", "-e", "none", "--", target.host(), command));
        return argv;
    }

    private List<String> options() {
        var argv = new ArrayList<>(List.of("ssh", "-F", "none",
                "-o", "BatchMode=yes",
                "-o", "PreferredAuthentications=publickey",
                "-o", "PasswordAuthentication=no",
                "-o", "KbdInteractiveAuthentication=no",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "ConnectTimeout=10",
                "-o", "ServerAliveInterval=15",
                "-o", "ServerAliveCountMax=4",
                "-o", "LogLevel=ERROR"));
        if (target.identity() != null) {
            argv.addAll(List.of("-o", "IdentitiesOnly=yes", "-o", "IdentityFile=" + configPath(target.identity())));
        }
        if (target.knownHosts() != null) {
            argv.addAll(List.of("-o", "UserKnownHostsFile=" + configPath(target.knownHosts())));
        }
        if (controlDir != null) {
            argv.addAll(List.of("-o", "ControlPath=" + configPath(controlDir) + "/%C", "-o", "ControlPersist=" + CONTROL_PERSIST));
        } else {
            argv.addAll(List.of("-o", "ControlMaster=no", "-o", "ControlPath=none"));
        }
        argv.addAll(List.of("-p", Integer.toString(target.port()), "-l", target.user()));
        return argv;
    }

    /** A path as an ssh option value: ssh expands %-tokens in it and splits it at whitespace unless double-quoted. */
    private static String configPath(Path path) {
        String text = path.toString();
        if (text.indexOf('"') >= 0) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "transport: ssh cannot use a path containing '\"': " + text, "transport", null);
        }
        String escaped = text.replace("%", "%%");
        return escaped.chars().anyMatch(Character::isWhitespace) ? "\"" + escaped + "\"" : escaped;
    }

    /** A private directory for the control socket; its path stays short (sockets allow ~104 bytes). */
    private static Path createControlDir() {
        try {
            return Files.createTempDirectory("berth-ssh-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the ssh control socket", e);
        }
    }
}
