package dev.berth.oci.backend;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.Signal;
import dev.berth.oci.conmon.Conmon;
import dev.berth.oci.conmon.ExitRecord;
import dev.berth.oci.conmon.StatusDir;
import dev.berth.oci.runtime.RuntimeCli;
import dev.berth.oci.runtime.RuntimeState;
import dev.berth.oci.transport.CommandTransport;
import dev.berth.oci.transport.HostFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The runtime container behind a bundle: created under conmon, started, signalled, deleted.
 * A container that has run is deleted and created again from the same bundle to run once more,
 * so a restart keeps the handle, the rootfs and its writable layer, the network and the log.
 */
final class Containers {
    static final String LOG_FILE = "ctr.log";
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final Bundles bundles;
    private final Runtimes runtimes;
    private final Conmon conmon;
    private final HostFiles files;
    private final CommandTransport transport;
    private final String socketDir;

    Containers(Bundles bundles, Runtimes runtimes, Conmon conmon, CommandTransport transport, String socketDir) {
        this.bundles = bundles;
        this.runtimes = runtimes;
        this.conmon = conmon;
        this.files = new HostFiles(transport);
        this.transport = transport;
        this.socketDir = socketDir;
    }

    StatusDir status(String id) {
        return new StatusDir(bundles.dir(id) + "/status", files, transport.isLocal());
    }

    RuntimeCli runtime(BundleMeta meta) {
        return runtimes.get(meta.runtime());
    }

    Optional<RuntimeState> state(BundleMeta meta) {
        return runtime(meta).state(meta.id());
    }

    /** Creates the runtime container from the bundle under a new conmon, forgetting a previous run's exit. */
    void createUnderConmon(BundleMeta meta) {
        String dir = bundles.dir(meta.id());
        status(meta.id()).clear();
        files.mkdirs(socketDir);
        conmon.create(meta.id(), meta.workload(), runtime(meta),
                new Conmon.Paths(dir, dir + "/" + LOG_FILE, dir + "/status", socketDir));
        freshlyCreated.add(meta.id());
    }

    /** Starts the container; one that has run before is created anew first. */
    void start(BundleMeta meta) {
        if (freshlyCreated.remove(meta.id())) {
            // Created by this process and never started: skip the runtime's `state` call (runsc: ~30-60 ms).
            runtime(meta).start(meta.id());
            bundles.writeRun(meta.id(), new RunRecord(Instant.now(), bundles.run(meta.id()).restartCount()));
            return;
        }
        Optional<RuntimeState> state = state(meta);
        if (state.isPresent() && state.get().running()) {
            return;
        }
        RunRecord run = bundles.run(meta.id());
        if (state.isEmpty() || !state.get().status().equals("created")) {
            recreate(meta);
        }
        freshlyCreated.remove(meta.id());
        runtime(meta).start(meta.id());
        bundles.writeRun(meta.id(), new RunRecord(Instant.now(), run.restartCount()));
    }

    /** Ids whose container conmon created in this process and nobody started yet. */
    private final java.util.Set<String> freshlyCreated = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The container was created by this process and not started yet: its bundle is as create left it. */
    boolean freshlyCreated(String id) {
        return freshlyCreated.contains(id);
    }

    void recreate(BundleMeta meta) {
        runtime(meta).delete(meta.id());
        createUnderConmon(meta);
    }

    /** SIGTERM, then SIGKILL once {@code grace} passed; returns once the exit is recorded. */
    void stop(BundleMeta meta, Duration grace) {
        Optional<RuntimeState> state = state(meta);
        if (state.isEmpty() || !state.get().running()) {
            return;
        }
        StatusDir status = status(meta.id());
        if (runtime(meta).kill(meta.id(), Signal.SIGTERM) && status.await(grace).isPresent()) {
            return;
        }
        runtime(meta).kill(meta.id(), Signal.SIGKILL);
        if (status.await(KILL_WAIT).isEmpty()) {
            throw new BerthException(ErrorCode.TIMEOUT, meta.workload() + " did not exit within " + KILL_WAIT.toSeconds()
                    + " s of SIGKILL");
        }
    }

    void kill(BundleMeta meta, Signal signal) {
        Optional<RuntimeState> state = state(meta);
        if (state.isEmpty() || !state.get().running() || !runtime(meta).kill(meta.id(), signal)) {
            throw new BerthException(ErrorCode.CONFLICT, "workload " + meta.workload() + " is not running");
        }
    }

    /** Deletes the runtime container (killing it) and waits until conmon recorded the end; idempotent. */
    void delete(BundleMeta meta) {
        freshlyCreated.remove(meta.id());
        Optional<RuntimeState> state = state(meta);
        runtime(meta).delete(meta.id());
        if (state.isPresent() && !state.get().stopped()) {
            Optional<ExitRecord> exit = status(meta.id()).await(Duration.ofSeconds(10));
            if (exit.isEmpty()) {
                System.getLogger(Containers.class.getName()).log(System.Logger.Level.WARNING,
                        "conmon of " + meta.id() + " wrote no exit status after the delete");
            }
        }
        files.deleteTree(socketDir + "/" + meta.id());
    }
}
