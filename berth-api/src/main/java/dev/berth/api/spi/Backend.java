package dev.berth.api.spi;

import dev.berth.api.model.BackendInfo;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecResult;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.Stats;
import dev.berth.api.spec.Signal;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one interface between the engine and a runtime. The engine owns names, records and
 * lifecycle rules; a backend turns a validated spec into real resources and reports reality.
 * All methods may block; callers use virtual threads. Errors are {@code BerthException}s.
 */
public interface Backend extends AutoCloseable {
    String name();

    Capabilities capabilities();

    BackendInfo info();

    /**
     * The host name that resolves to the host inside workloads started with {@code hostAccess}
     * (e.g. host.docker.internal), or null when the backend offers none.
     */
    default String hostAlias() {
        return null;
    }

    ImageOps images();

    NetworkOps networks();

    /**
     * Creates (does not start) the workload. Idempotent per name and generation: when a resource
     * with the same owner, workload and generation exists, returns its handle.
     */
    Handle create(CreateRequest request);

    /** Finds the resource created for {@code workload} by this owner, e.g. after a crash. */
    Optional<Handle> find(String ownerId, String workload);

    /** Extracts a tar stream into the workload's filesystem at {@code path}; allowed before start. */
    void copyIn(Handle handle, String path, InputStream tar);

    InputStream copyOut(Handle handle, String path);

    void start(Handle handle);

    /** SIGTERM (or the image's stop signal), then SIGKILL once {@code grace} has passed. */
    void stop(Handle handle, Duration grace);

    void kill(Handle handle, Signal signal);

    void restart(Handle handle, Duration grace);

    /** Removes the workload and everything it owns (anonymous volumes too); false when already gone. */
    boolean remove(Handle handle);

    /** The real state; throws not_found when the resource no longer exists. */
    BackendStatus inspect(Handle handle);

    /** Log lines; with follow, blocks for new lines until the workload exits or the stream is closed. */
    Stream<LogLine> logs(Handle handle, LogQuery query);

    ExecResult exec(Handle handle, ExecRequest request);

    ExecSession execStream(Handle handle, ExecRequest request);

    Stats stats(Handle handle);

    /** Samples until the workload stops or the stream is closed. */
    Stream<Stats> statsStream(Handle handle);

    /** Blocks until the workload exits (or {@code timeout}, null = forever, passes: timeout error). */
    ExitStatus waitExit(Handle handle, Duration timeout);

    /** Every workload, network and volume labelled with {@code ownerId}, or with any owner when null. */
    List<OwnedResource> listOwned(String ownerId);

    @Override
    void close();
}
