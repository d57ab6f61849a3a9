package dev.berth.oci.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.Signal;
import dev.berth.net.HostCommands;
import dev.berth.oci.transport.CommandTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The runtime's CLI contract ({@code state/start/kill/delete/exec/events}) for one runtime binary
 * and one state root, run through the transport. {@code create} is conmon's job, which is why it
 * is missing here: {@link #conmonArgs()} are the flags conmon passes on.
 */
public final class RuntimeCli {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandTransport transport;
    private final RuntimeProfile profile;
    private final String binary;
    private final List<String> globalArgs;

    /**
     * @param netnsPrepared whether workloads get a prepared network namespace (a network fabric);
     *                      (see {@link RuntimeProfile#networkArgs})
     */
    public RuntimeCli(CommandTransport transport, RuntimeProfile profile, String binary, String root, boolean netnsPrepared) {
        this.transport = transport;
        this.profile = profile;
        this.binary = binary;
        var args = new ArrayList<String>();
        args.add("--root=" + root);
        args.addAll(profile.globalArgs());
        args.addAll(profile.networkArgs(netnsPrepared));
        this.globalArgs = List.copyOf(args);
    }

    public RuntimeProfile profile() {
        return profile;
    }

    public String binary() {
        return binary;
    }

    /** Fails with a configuration error naming the Debian package when the binary is missing. */
    public String version() {
        HostCommands.Result r;
        try {
            r = transport.run(List.of(binary, "--version"), null, Duration.ofSeconds(10));
        } catch (BerthException e) {
            throw missing(e.getMessage());
        }
        if (!r.ok()) {
            throw missing(r.stderr().strip());
        }
        HostSupport.check(profile, transport);
        String first = r.stdout().lines().findFirst().orElse("");
        return first.replaceFirst("^\\S+ version ", "");
    }

    private BerthException missing(String detail) {
        return new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "oci backend: runtime " + profile.name() + " not usable at "
                + binary + " on " + transport.describe() + " (" + detail + "); install the Debian package '"
                + profile.debianPackage() + "' or set runtimePath." + profile.name(), "runtime", null);
    }

    /** Flags for conmon's {@code --runtime-arg}: the state root and the profile's global flags. */
    public List<String> conmonArgs() {
        return globalArgs;
    }

    public Optional<RuntimeState> state(String id) {
        HostCommands.Result r = call(List.of("state", id));
        if (!r.ok()) {
            if (isNotFound(r.stderr() + r.stdout())) {
                return Optional.empty();
            }
            throw failure("state", id, r);
        }
        try {
            JsonNode node = JSON.readTree(r.stdout());
            return Optional.of(new RuntimeState(node.path("status").asText("unknown"), node.path("pid").asInt(0)));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, profile.name() + " state " + id + ": unreadable output: " + r.stdout(), e);
        }
    }

    public void start(String id) {
        HostCommands.Result r = call(List.of("start", id));
        if (!r.ok()) {
            throw failure("start", id, r);
        }
    }

    /** Sends {@code signal}; false when the container is gone or no longer running. */
    public boolean kill(String id, Signal signal) {
        HostCommands.Result r = call(List.of("kill", id, signal.name()));
        if (r.ok()) {
            return true;
        }
        String text = (r.stderr() + r.stdout()).toLowerCase(Locale.ROOT);
        if (isNotFound(text) || text.contains("not running") || text.contains("process already finished")
                || text.contains("container not running") || text.contains("no such process") || text.contains("in state stopped")) {
            return false;
        }
        throw failure("kill", id, r);
    }

    /** Deletes the container (forcibly, killing what runs); idempotent. */
    public void delete(String id) {
        HostCommands.Result r = call(List.of("delete", "--force", id));
        if (!r.ok() && !isNotFound(r.stderr() + r.stdout())) {
            throw failure("delete", id, r);
        }
    }

    /** One {@code events --stats} sample as the runtime prints it. */
    public JsonNode stats(String id) {
        HostCommands.Result r = call(List.of("events", "--stats", id));
        if (!r.ok()) {
            if (isNotFound(r.stderr() + r.stdout())) {
                throw BerthException.notFound("container " + id);
            }
            throw failure("events --stats", id, r);
        }
        try {
            return JSON.readTree(r.stdout());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, profile.name() + " events --stats " + id + ": unreadable output", e);
        }
    }

    /** The argv of an exec: the runtime's flags, then {@code argv} untouched (no shell). */
    public List<String> execArgv(String id, ExecOptions options, List<String> argv) {
        var out = base();
        out.add("exec");
        if (options.tty()) {
            out.add("--tty");
        }
        if (options.user() != null) {
            out.add("--user");
            out.add(options.user());
        }
        for (Integer gid : options.additionalGids()) {
            out.add("--additional-gids");
            out.add(Integer.toString(gid));
        }
        if (options.cwd() != null) {
            out.add("--cwd");
            out.add(options.cwd());
        }
        options.env().forEach(kv -> {
            out.add("--env");
            out.add(kv);
        });
        out.add(id);
        out.addAll(argv);
        return out;
    }

    /** @param user {@code uid:gid} or null for the container's user; env as {@code K=V} */
    public record ExecOptions(String user, List<Integer> additionalGids, String cwd, List<String> env, boolean tty) {
        public ExecOptions {
            additionalGids = List.copyOf(additionalGids);
            env = List.copyOf(env);
        }
    }

    private HostCommands.Result call(List<String> args) {
        var argv = base();
        argv.addAll(args);
        return transport.run(argv, null, TIMEOUT);
    }

    private List<String> base() {
        var argv = new ArrayList<String>();
        argv.add(binary);
        argv.addAll(globalArgs);
        return argv;
    }

    static boolean isNotFound(String output) {
        String text = output.toLowerCase(Locale.ROOT);
        return text.contains("does not exist") || text.contains("not found") || text.contains("no such file")
                || text.contains("file does not exist");
    }

    private BerthException failure(String op, String id, HostCommands.Result r) {
        String detail = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
        return new BerthException(ErrorCode.BACKEND_ERROR, profile.name() + " " + op + " " + id + " failed (exit "
                + r.exitCode() + "): " + detail);
    }
}
