package dev.berth.server;

import dev.berth.api.model.CleanupReport;
import dev.berth.api.model.ReconcileReport;
import dev.berth.engine.Engine;
import dev.berth.server.http.ApiServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-lived Berth process: one engine (SQLite records, exit watchers, restart policy, event
 * log) served over {@link ApiServer}. On start it reconciles every record against its backend and
 * reaps resources of its own owner id that no record explains, before it accepts requests.
 * Workloads keep running when the daemon stops unless {@code stopWorkloadsOnExit}.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final Engine engine;
    private final ApiServer server;
    private final boolean stopWorkloadsOnExit;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    private Daemon(Engine engine, ApiServer server, boolean stopWorkloadsOnExit) {
        this.engine = engine;
        this.server = server;
        this.stopWorkloadsOnExit = stopWorkloadsOnExit;
    }

    /** Recovers, then listens. The engine is closed if anything fails on the way. */
    public static Daemon start(Engine engine, ApiServer.Listen listen, boolean stopWorkloadsOnExit) {
        try {
            recover(engine);
            engine.superviseWorkloads();
            ApiServer server = ApiServer.start(engine, listen);
            LOG.info("berth daemon {} listening on unix://{}{} (data dir {})", engine.ownerId(), listen.socket(),
                    listen.tcp() == null ? "" : " and tcp://" + listen.tcp().getHostString() + ":" + server.tcpPort(),
                    engine.info().dataDir());
            return new Daemon(engine, server, stopWorkloadsOnExit);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private static void recover(Engine engine) {
        ReconcileReport reconciled = engine.reconcile();
        LOG.info("reconciled {} workload record(s): {}", reconciled.workloads().size(), reconciled.counts());
        CleanupReport reaped = engine.reap();
        if (!reaped.removed().isEmpty() || !reaped.failed().isEmpty()) {
            LOG.info("reaped {} orphaned resource(s), {} failed", reaped.removed().size(), reaped.failed().size());
        }
    }

    public Engine engine() {
        return engine;
    }

    public int tcpPort() {
        return server.tcpPort();
    }

    /** Blocks until {@link #close} has finished (e.g. from a SIGTERM shutdown hook). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Idempotent: a shutdown hook and an owner may both call it. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
            if (stopWorkloadsOnExit) {
                stopAll();
            }
            engine.close();
        } finally {
            stopped.countDown();
        }
    }

    private void stopAll() {
        engine.stopAllForShutdown(SHUTDOWN_GRACE);
    }
}
