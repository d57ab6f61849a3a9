package dev.berth.api.client;

import dev.berth.api.model.BackendResource;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.model.Credentials;
import dev.berth.api.model.Event;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecResult;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.ImageDetails;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import dev.berth.api.model.PullProgress;
import dev.berth.api.model.ReconcileReport;
import dev.berth.api.model.Stats;
import dev.berth.api.model.SystemInfo;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spec.Signal;
import dev.berth.api.spec.WorkloadSpec;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Everything a user can do with Berth, addressed by stable workload names. The CLI and Java users
 * talk to this interface; implementations are the in-process engine and the daemon's HTTP client.
 * Methods taking {@code backend} accept null for the default backend.
 */
public interface BerthClient extends AutoCloseable {
    /** Creates the workload (pulling its image per its pull policy and copying its files in) without starting it. */
    WorkloadStatus create(WorkloadSpec spec);

    /** Creates and starts; on a start failure the half-made workload is removed and the error thrown. */
    WorkloadStatus run(WorkloadSpec spec);

    WorkloadStatus start(String name);

    WorkloadStatus stop(String name, Duration grace);

    WorkloadStatus restart(String name, Duration grace);

    WorkloadStatus kill(String name, Signal signal);

    /** Removes the workload; a running one only with {@code force}. False when no such workload existed. */
    boolean remove(String name, boolean force);

    WorkloadStatus inspect(String name);

    /** Workloads, running ones only unless {@code all}. */
    List<WorkloadStatus> list(boolean all);

    Stream<LogLine> logs(String name, LogQuery query);

    ExecResult exec(String name, ExecRequest request);

    ExecSession execStream(String name, ExecRequest request);

    Stats stats(String name);

    Stream<Stats> statsStream(String name);

    /** Blocks until the workload exits; null timeout waits forever. */
    ExitStatus waitExit(String name, Duration timeout);

    /**
     * Image methods act on Berth's own image store when {@code backend} is null, and on that
     * backend's engine otherwise. A workload whose image is only in Berth's store has it loaded
     * into its backend's engine on create.
     */
    default ImageInfo pullImage(String backend, String image, PullPolicy policy, Credentials credentials,
                                Consumer<PullProgress> progress) {
        return pullImage(backend, image, null, policy, credentials, progress);
    }

    /** {@code platform} as os/arch[/variant] (e.g. linux/arm64/v8); null = this host's. */
    ImageInfo pullImage(String backend, String image, String platform, PullPolicy policy, Credentials credentials,
                        Consumer<PullProgress> progress);

    /** Pushes an image from Berth's store to the registry its name points at; returns the manifest digest. */
    String pushImage(String image, Credentials credentials);

    ImageDetails inspectImage(String backend, String image);

    /** Writes the image's flattened root filesystem (from Berth's store) into {@code dir}. */
    void unpackImage(String image, java.nio.file.Path dir);

    List<ImageInfo> listImages(String backend);

    boolean removeImage(String backend, String image, boolean force);

    List<String> pruneImages(String backend);

    void tagImage(String backend, String source, String target);

    ImageInfo importImage(String backend, InputStream rootfsTar, String target, List<String> changes);

    /**
     * Imports from a file or directory: into Berth's store (backend null) an OCI layout directory,
     * OCI archive, docker-archive, rootfs directory or rootfs tarball, recognised by content; into
     * a backend a rootfs tarball or a docker-archive.
     */
    ImageInfo importImage(String backend, java.nio.file.Path source, String target, List<String> changes);

    NetworkInfo createNetwork(String backend, NetworkSpec spec);

    boolean removeNetwork(String name);

    List<NetworkInfo> listNetworks();

    SystemInfo info();

    /**
     * Events with an id above {@code sinceId} (0 = the oldest the log holds), oldest first; with
     * {@code follow} the stream then blocks for new events until it is closed.
     */
    Stream<Event> events(long sinceId, boolean follow);

    /**
     * Reconciles every workload record against its backend: a running workload is reattached
     * (logs, exec and stats reach it), one that exited meanwhile gets its real exit status, one
     * whose resource is gone becomes FAILED ("lost: ..."). A record without a handle (a crash
     * between the record and the backend's create) adopts the resource its labels find, or is
     * removed when the backend holds none.
     */
    ReconcileReport reconcile();

    /**
     * Removes the backend resources labelled with this engine's owner id that no record explains
     * (a crash between a backend create and its record). Never touches another owner's resources.
     */
    CleanupReport reap();

    /**
     * Resources labelled with an owner id other than this engine's, by owner id (sorted), on
     * every backend that is available. They are never reaped; {@link #pruneOwner} removes them.
     */
    Map<String, List<BackendResource>> foreignResources();

    /**
     * Removes every resource labelled with exactly {@code ownerId}, on every available backend.
     * Refuses this engine's own id: {@link #reap} is the safe way to clean up after ourselves.
     */
    CleanupReport pruneOwner(String ownerId);

    @Override
    void close();
}
