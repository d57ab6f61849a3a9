package dev.berth.cli;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.spec.BackendKind;
import dev.berth.api.spec.CapabilityChanges;
import dev.berth.api.spec.Isolation;
import dev.berth.api.spec.PortMapping;
import dev.berth.api.spec.Resources;
import dev.berth.api.spec.TmpfsMount;
import dev.berth.api.spec.WorkloadSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth run}: builds a spec from Docker-style flags (over a spec file given with -f), runs
 * it, and in the foreground streams its output until it exits, exiting with its code.
 */
@Command(name = "run", sortOptions = false,
        description = {"Create and start a workload.",
            "Without -d, stream its output until it exits and exit with its exit code."})
final class RunCommand implements Callable<Integer> {
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(10);
    /** The exit code of a foreground run ended by Ctrl-C (128 + SIGINT), as shells report it. */
    static final int INTERRUPTED = 130;

    @Option(names = {"-d", "--detach"}, description = "Run in the background and print the workload's name.")
    boolean detach;

    @Option(names = "--rm", description = "Remove the workload when it exits (also on Ctrl-C). With -d the daemon removes it.")
    boolean rm;

    @Option(names = "--name", paramLabel = "NAME", description = "Workload name (default: generated adjective-noun-hex).")
    String name;

    @Option(names = {"-f", "--file"}, paramLabel = "SPEC",
            description = "Start from a YAML/JSON spec file ('-' = stdin); flags override its fields"
                    + " (list flags replace the file's list; -e, -l, --ulimit merge by key).")
    Path file;

    @Option(names = "--backend", paramLabel = "B", description = "Backend: docker, podman, oci, kubernetes.")
    String backend;

    @Option(names = "--runtime", paramLabel = "R", description = "OCI runtime, e.g. runc, crun, runsc.")
    String runtime;

    @Option(names = {"-e", "--env"}, paramLabel = "K=V", description = "Environment variable (bare K copies it from here).")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "File of K=V lines.")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = {"-p", "--publish"}, paramLabel = "[HOSTIP:][HOST:]CONTAINER[/PROTO]",
            description = "Publish a container port (host port 0 or none = ephemeral).")
    List<String> publish = new ArrayList<>();

    @Option(names = "--network", paramLabel = "N", description = "Attach to a Berth network.")
    List<String> networks = new ArrayList<>();

    @Option(names = "--cpus", paramLabel = "X", description = "CPU limit, e.g. 0.5.")
    String cpus;

    @Option(names = {"-m", "--memory"}, paramLabel = "M", description = "Memory limit, e.g. 256Mi or 512m.")
    String memory;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Process limit.")
    String pidsLimit;

    @Option(names = {"-u", "--user"}, paramLabel = "U", description = "USER[:GROUP] to run as.")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the workload.")
    String workdir;

    @Option(names = "--entrypoint", paramLabel = "CMD",
            description = "Replace the image's ENTRYPOINT (one program; '' clears it). Also clears the image's CMD.")
    String entrypoint;

    @Option(names = "--user-data", paramLabel = "FILE", description = "User data for the workload ('-' = stdin).")
    Path userData;

    @Option(names = "--isolation", paramLabel = "default|sandbox", description = "Isolation level.")
    String isolation;

    @Option(names = "--restart", paramLabel = "POLICY", description = "no, on-failure[:N], always, unless-stopped.")
    String restart;

    @Option(names = "--read-only", description = "Mount the root filesystem read-only.")
    Boolean readOnly;

    @Option(names = "--tmpfs", paramLabel = "PATH[:OPTS]", description = "Mount a tmpfs, e.g. /run:size=64m,exec.")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--cap-add", paramLabel = "CAP", description = "Add a Linux capability.")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "CAP", description = "Drop a Linux capability.")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--ulimit", paramLabel = "NAME=SOFT[:HARD]", description = "Resource limit, e.g. nofile=1024:2048.")
    List<String> ulimits = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "K=V", description = "Label.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--pull", paramLabel = "always|missing|never", description = "When to pull the image (default: missing).")
    String pull;

    @Option(names = "--host-access", description = "Let the workload reach services on the host.")
    Boolean hostAccess;

    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE", description = "Image (optional with -f).")
    String image;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "Command: replaces the image's CMD.")
    List<String> cmd = new ArrayList<>();

    private final CliContext ctx;
    private final UnaryOperator<String> environment;

    RunCommand(CliContext ctx) {
        this(ctx, System::getenv);
    }

    RunCommand(CliContext ctx, UnaryOperator<String> environment) {
        this.ctx = ctx;
        this.environment = environment;
    }

    @Override
    public Integer call() {
        // Detached, the engine removes the workload when it exits (it must supervise: the daemon
        // does); in the foreground this command removes it after the wait.
        WorkloadSpec spec = spec();
        var client = ctx.client();
        if (detach) {
            ctx.out.println(client.run(spec).name());
            return 0;
        }
        String workload = spec.name();
        var interrupted = new AtomicBoolean();
        Runnable cancelHook = ctx.onInterrupt(() -> {
            interrupted.set(true);
            if (rm) {
                stopAndRemove(workload);
            }
        });
        try {
            client.run(spec);
            try (Stream<LogLine> lines = client.logs(workload, LogQuery.ALL.withFollow(true))) {
                LogsCommand.print(ctx, lines, false);
            }
            return client.waitExit(workload, null).code();
        } catch (RuntimeException e) {
            if (interrupted.get()) {
                // Ctrl-C: the hook owns the cleanup; the broken stream is expected, not an error.
                return INTERRUPTED;
            }
            throw e;
        } finally {
            cancelHook.run();
            if (rm && !interrupted.get()) {
                ctx.attempt(() -> client.remove(workload, true));
            }
        }
    }

    /** Ctrl-C with --rm; a workload that was never created (Ctrl-C during the pull) is no error. */
    private void stopAndRemove(String workload) {
        var client = ctx.client();
        try {
            client.stop(workload, INTERRUPT_GRACE);
        } catch (BerthException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                ctx.fail(e);
            }
        }
        ctx.attempt(() -> client.remove(workload, true));
        ctx.err.flush();
    }

    /** The spec these flags describe: the -f file's fields, each replaced by its flag when given. */
    WorkloadSpec spec() {
        WorkloadSpec base = file == null ? null : readSpec(file);
        String workloadName = name != null ? name : base != null ? base.name() : NameGenerator.next();
        String workloadImage = image != null ? image : base != null ? base.image() : null;
        if (workloadImage == null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "IMAGE: required (or give a spec file with -f)", "image", null);
        }

        List<String> command = entrypoint == null ? base(base, WorkloadSpec::command)
                : entrypoint.isEmpty() ? List.of() : List.of(entrypoint);
        List<String> args = !cmd.isEmpty() ? cmd
                : entrypoint != null ? orElse(base(base, WorkloadSpec::args), List.of())
                : base(base, WorkloadSpec::args);

        var env = new LinkedHashMap<String, String>(orElse(base(base, WorkloadSpec::env), Map.of()));
        for (Path envFile : envFiles) {
            env.putAll(Flags.envFile(envFile, environment));
        }
        env.putAll(Flags.env("--env", this.env, environment));

        var ports = new ArrayList<PortMapping>();
        publish.forEach(p -> ports.addAll(Flags.publish(p)));

        Resources fileResources = orElse(base(base, WorkloadSpec::resources), Resources.NONE);
        var resources = new Resources(
                cpus != null ? Flags.number("--cpus", cpus) : fileResources.cpus(),
                memory != null ? memory : fileResources.memory(),
                pidsLimit != null ? Integer.valueOf(Flags.count("--pids-limit", pidsLimit)) : fileResources.pids());

        CapabilityChanges fileCaps = orElse(base(base, WorkloadSpec::capabilities), CapabilityChanges.NONE);
        var capabilities = new CapabilityChanges(capAdd.isEmpty() ? fileCaps.add() : capAdd,
                capDrop.isEmpty() ? fileCaps.drop() : capDrop);

        var labelMap = new LinkedHashMap<>(orElse(base(base, WorkloadSpec::labels), Map.of()));
        labelMap.putAll(Flags.labels(labels));
        var ulimitMap = new LinkedHashMap<>(orElse(base(base, WorkloadSpec::ulimits), Map.of()));
        ulimitMap.putAll(Flags.ulimits(ulimits));
        List<TmpfsMount> tmpfsMounts = tmpfs.stream().map(Flags::tmpfs).toList();

        return new WorkloadSpec(
                workloadName,
                backend != null ? Flags.wire(BackendKind.class, "--backend", backend) : base(base, WorkloadSpec::backend),
                runtime != null ? runtime : base(base, WorkloadSpec::runtime),
                workloadImage,
                pull != null ? Flags.pull("--pull", pull) : base(base, WorkloadSpec::pullPolicy),
                command,
                args,
                env,
                workdir != null ? workdir : base(base, WorkloadSpec::workingDir),
                user != null ? user : base(base, WorkloadSpec::user),
                resources,
                !ports.isEmpty() ? ports : base(base, WorkloadSpec::ports),
                !networks.isEmpty() ? networks : base(base, WorkloadSpec::networks),
                base(base, WorkloadSpec::securityGroups),
                base(base, WorkloadSpec::volumes),
                !tmpfsMounts.isEmpty() ? tmpfsMounts : base(base, WorkloadSpec::tmpfs),
                base(base, WorkloadSpec::files),
                userData != null ? readText("--user-data", userData) : base(base, WorkloadSpec::userData),
                base(base, WorkloadSpec::keepAlive),
                base(base, WorkloadSpec::readiness),
                restart != null ? Flags.restart(restart) : base(base, WorkloadSpec::restart),
                isolation != null ? Flags.wire(Isolation.class, "--isolation", isolation) : base(base, WorkloadSpec::isolation),
                hostAccess != null ? hostAccess : base(base, WorkloadSpec::hostAccess),
                labelMap,
                ulimitMap,
                base(base, WorkloadSpec::sysctls),
                capabilities,
                readOnly != null ? readOnly : base(base, WorkloadSpec::readOnlyRootfs),
                detach && rm ? Boolean.TRUE : base(base, WorkloadSpec::autoRemove))
                .validate();
    }

    private static <T> T base(WorkloadSpec base, Function<WorkloadSpec, T> field) {
        return base == null ? null : field.apply(base);
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    WorkloadSpec readSpec(Path path) {
        return ApplyCommand.readSpec(ctx, path);
    }

    String readText(String flag, Path path) {
        try {
            return path.toString().equals("-") ? new String(ctx.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(path);
        } catch (IOException e) {
            throw Flags.cannotRead(flag, path, e);
        }
    }
}
