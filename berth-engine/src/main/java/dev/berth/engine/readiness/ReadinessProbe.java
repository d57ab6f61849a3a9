package dev.berth.engine.readiness;

import dev.berth.api.spec.Readiness;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.Handle;

/** One readiness check of a running workload, tried repeatedly until it passes or time runs out. */
public sealed interface ReadinessProbe extends ReadinessWaiter.Check, AutoCloseable permits TcpProbe, HttpGetProbe, LogProbe, ExecProbe {

    /** What is probed, for messages: "tcp port 7000", "log /listening/". */
    String describe();

    /**
     * Returns when the workload is ready; throws, saying why, when it is not yet. {@code status}
     * is the backend's view taken just before (addresses, published ports).
     */
    @Override
    void check(BackendStatus status) throws Exception;

    @Override
    default void close() {
    }

    /** The probe the spec asks for (the spec's validation guarantees exactly one is set). */
    static ReadinessProbe of(Readiness readiness, Backend backend, Handle handle) {
        if (readiness.tcp() != null) {
            return new TcpProbe(readiness.tcp());
        }
        if (readiness.http() != null) {
            return new HttpGetProbe(readiness.http().port(), readiness.http().path());
        }
        if (readiness.log() != null) {
            return new LogProbe(readiness.log(), backend, handle);
        }
        return new ExecProbe(readiness.exec(), backend, handle);
    }
}
