package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ReconcileReport;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.Handle;
import dev.berth.engine.Engine;
import dev.berth.testkit.TestImages;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One scenario for every transport: a workload exits with 42 while no engine runs (the test
 * tells it to through the backend alone), and the next engine's reconcile reports that code.
 */
final class ExitWhileNoEngineRuns {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ExitWhileNoEngineRuns() {
    }

    /**
     * Runs {@code job} on {@code engine}, closes it, lets the workload exit through a backend
     * opened with {@code backendFor(ownerId)}, then reconciles on {@code reopen}'s engine, which is
     * returned for the caller's own checks.
     */
    static Engine exit42(Engine engine, String job, Supplier<Engine> reopen, Function<String, Backend> backendFor) {
        var spec = WorkloadSpec.builder(job, TestImages.BUSYBOX)
                .command("/bin/sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.1; done; exit 42").build();
        String ownerId = engine.ownerId();
        Handle handle = new Handle(OciBackendProvider.NAME, engine.run(spec).handle());
        engine.close();

        try (Backend backend = backendFor.apply(ownerId)) {
            assertThat(backend.exec(handle, ExecRequest.of("touch", "/tmp/go")).exitCode()).isZero();
            assertThat(backend.waitExit(handle, WAIT).code()).isEqualTo(42);
        }

        Engine next = reopen.get();
        var outcome = next.reconcile().workloads().stream().filter(w -> w.name().equals(job)).findFirst().orElseThrow();
        assertThat(outcome.outcome()).isEqualTo(ReconcileReport.Outcome.EXITED);
        assertThat(outcome.exit().code()).isEqualTo(42);
        return next;
    }
}
