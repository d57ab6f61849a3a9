package dev.berth.oci.conmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.oci.runtime.RuntimeCli;
import dev.berth.oci.transport.CommandTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts conmon, the per-container monitor, which runs {@code <runtime> create}, then owns the
 * container's stdio (its log, in k8s-file format) and writes the exit status when the container
 * ends. conmon daemonizes, so the container and its exit status outlive every Berth process.
 *
 * <p>conmon reports the created container's pid (or the runtime's error) on a sync pipe named by
 * {@code _OCI_SYNCPIPE}. A process started through a transport has only stdio, so a constant
 * wrapper script gives conmon a pipe as fd 3 and copies its first line to stdout; the script
 * takes every path and flag as a positional parameter, never as text of its own. The wrapper
 * lives until that line arrives: conmon's first process exits at once, and a JVM stops reading
 * a child's stdout when the child exits, which would lose a report written a moment later.
 */
public final class Conmon {
    static final String WRAPPER = "cd \"$1\" || exit 125; shift; { _OCI_SYNCPIPE=3 \"$@\" 3>&1 1>/dev/null 2>&4 4>&-; } 4>&2"
            + " | { IFS= read -r line && printf '%s\\n' \"$line\"; }";
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandTransport transport;
    private final String binary;

    public Conmon(CommandTransport transport, String binary) {
        this.transport = transport;
        this.binary = binary;
    }

    public String binary() {
        return binary;
    }

    /** Where conmon puts things for one container. {@code socketDir} holds a symlink per container id. */
    public record Paths(String bundle, String logFile, String statusDir, String socketDir) {
    }

    /** Creates the container {@code id} from {@code paths.bundle()}; returns its pid once the runtime created it. */
    public int create(String id, String name, RuntimeCli runtime, Paths paths) {
        // sh's own builtins set the variable and copy the line: no env or head process on the create path.
        var argv = new ArrayList<>(List.of("setsid", "sh", "-c", WRAPPER, "berth-conmon",
                paths.bundle(), binary, "--api-version", "1", "-c", id, "-u", id, "-n", name,
                "-r", runtime.binary(), "-b", paths.bundle(), "-p", paths.bundle() + "/pidfile",
                "--conmon-pidfile", paths.bundle() + "/conmon.pid", "--exit-dir", paths.statusDir(),
                "--persist-dir", paths.statusDir(), "-l", "k8s-file:" + paths.logFile(), "--log-level", "error",
                "--socket-dir-path", paths.socketDir()));
        for (String arg : runtime.conmonArgs()) {
            argv.add("--runtime-arg");
            argv.add(arg);
        }
        Process process = transport.start(argv);
        try {
            process.getOutputStream().close();
            CompletableFuture<String> stderr = readAll(process.getErrorStream());
            var sync = new CompletableFuture<String>();
            Thread.ofVirtual().start(() -> sync.complete(firstLine(process.getInputStream())));
            String line = sync.get(CREATE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // conmon keeps the sync pipe open for as long as it runs but writes nothing more to it.
            process.getInputStream().close();
            if (line == null) {
                process.waitFor(10, TimeUnit.SECONDS);
                throw new BerthException(ErrorCode.BACKEND_ERROR, "conmon for " + name + " exited without creating the container: "
                        + stderrText(stderr));
            }
            JsonNode report = JSON.readTree(line);
            int pid = report.path("data").asInt(-1);
            if (pid <= 0) {
                throw new BerthException(ErrorCode.BACKEND_ERROR, runtime.profile().name() + " create " + name + " failed: "
                        + report.path("message").asText(line).strip());
            }
            return pid;
        } catch (TimeoutException e) {
            throw new BerthException(ErrorCode.TIMEOUT, "conmon did not report the creation of " + name + " within "
                    + CREATE_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted while creating " + name, e);
        } catch (ExecutionException | IOException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "conmon for " + name + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(InputStream in) {
        try {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }

    private static CompletableFuture<String> readAll(InputStream in) {
        var future = new CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                future.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                future.complete("");
            }
        });
        return future;
    }

    private static String stderrText(CompletableFuture<String> stderr) {
        try {
            return stderr.get(5, TimeUnit.SECONDS).strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | TimeoutException e) {
            return "(no message)";
        }
    }
}
