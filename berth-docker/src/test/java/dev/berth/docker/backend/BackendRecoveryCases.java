package dev.berth.docker.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.BackendResource;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.NetworkSpec;
import dev.berth.api.model.ReconcileReport;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.CreateRequest;
import dev.berth.api.spi.Handle;
import dev.berth.api.spi.OwnedResource;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.engine.Engine;
import dev.berth.testkit.Await;
import dev.berth.testkit.BackendConformance;
import dev.berth.testkit.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery against a real runtime. Two engines on two data dirs are two Berth owners
 * sharing one dockerd (or Podman service); the backend opened directly plays everything that
 * happens behind Berth's back or while no Berth process runs. Every resource labelled with
 * either owner is removed after each test, and the test fails if any survives.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class BackendRecoveryCases {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> IDLE = List.of("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait");

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private Backend backend;
    private Engine a;
    private Engine b;
    private String ownerA;
    private String ownerB;

    protected abstract BackendProvider provider();

    @BeforeEach
    void open() {
        try {
            backend = provider().open(Map.of());
        } catch (BerthException e) {
            String required = String.valueOf(System.getenv(BackendConformance.REQUIRE_ENV));
            if (Arrays.asList(required.split(",")).contains(provider().name())) {
                throw new AssertionError("backend '" + provider().name() + "' is required but unavailable: " + e.getMessage(), e);
            }
            Assumptions.abort("backend '" + provider().name() + "' is unavailable: " + e.getMessage());
        }
        a = engine(dirA);
        b = engine(dirB);
        ownerA = a.ownerId();
        ownerB = b.ownerId();
        assertThat(ownerA).isNotEqualTo(ownerB);
        TestImages.ensureImported(a, backend.name());
    }

    private Engine engine(Path dataDir) {
        return Engine.builder().dataDir(dataDir).provider(provider()).defaultBackend(provider().name()).build();
    }

    private String name(String label) {
        return "rc-" + runId + "-" + label;
    }

    private WorkloadSpec idle(String name) {
        return WorkloadSpec.builder(name, TestImages.BUSYBOX).command(IDLE).build();
    }

    /**
     * A container labelled with A's owner id that no record of A explains: what a crash between
     * the backend's create and the record leaves behind (or a record lost with the page cache).
     */
    private Handle orphanOfA(String name) {
        return backend.create(new CreateRequest(idle(name), new OwnerLabels(ownerA, name, 1), null));
    }

    private boolean exists(Handle handle) {
        BerthException e = catchThrowableOfType(BerthException.class, () -> backend.inspect(handle));
        if (e == null) {
            return true;
        }
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        return false;
    }

    private static List<String> removedIds(CleanupReport report) {
        return report.removed().stream().map(e -> e.resource().id()).toList();
    }

    private static ReconcileReport.WorkloadOutcome outcome(ReconcileReport report, String name) {
        return report.workloads().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void reapRemovesItsOwnOrphansButNotAnotherOwnersAndKeepsRecordedWorkloads() {
        Handle orphan = orphanOfA(name("orphan"));
        String network = name("orphan-net");
        backend.networks().ensure(new NetworkSpec(network, false, null), new OwnerLabels(ownerA, null, 0));
        String kept = name("kept");
        a.run(idle(kept));

        CleanupReport byB = b.reap();
        assertThat(byB.removed()).isEmpty();
        assertThat(exists(orphan)).as("B's reaper leaves A's orphan alone").isTrue();

        CleanupReport byA = a.reap();
        assertThat(byA.failed()).isEmpty();
        assertThat(removedIds(byA)).contains(orphan.id());
        assertThat(byA.removed()).extracting(e -> e.resource().name()).containsExactlyInAnyOrder(name("orphan"), network);
        assertThat(exists(orphan)).isFalse();
        assertThat(backend.networks().list()).extracting(n -> n.name()).doesNotContain(network);
        assertThat(a.inspect(kept).state()).as("a recorded workload survives the reaper").isEqualTo(WorkloadState.RUNNING);
    }

    @Test
    void anotherOwnerListsTheOrphanAsForeignAndRemovesItOnlyWhenAskedTo() {
        Handle orphan = orphanOfA(name("orphan"));
        String ours = name("ours");
        b.run(idle(ours));

        assertThat(b.reap().removed()).isEmpty();
        var foreign = b.foreignResources();
        assertThat(foreign).containsKey(ownerA).doesNotContainKey(ownerB);
        assertThat(foreign.get(ownerA)).extracting(BackendResource::id).containsExactly(orphan.id());
        assertThat(foreign.get(ownerA).getFirst().backend()).isEqualTo(backend.name());
        assertThat(catchThrowableOfType(BerthException.class, () -> b.pruneOwner(ownerB)).getMessage())
                .contains("berth system reap");

        CleanupReport pruned = b.pruneOwner(ownerA);

        assertThat(pruned.failed()).isEmpty();
        assertThat(removedIds(pruned)).containsExactly(orphan.id());
        assertThat(exists(orphan)).isFalse();
        assertThat(b.foreignResources()).doesNotContainKey(ownerA);
        assertThat(b.inspect(ours).state()).as("pruning A spares B's own workload").isEqualTo(WorkloadState.RUNNING);
    }

    @Test
    void workloadThatExitsWhileNoBerthRunsShowsItsRealExitCodeAfterReconcile() {
        String job = name("exit42");
        var spec = WorkloadSpec.builder(job, TestImages.BUSYBOX)
                .command("/bin/sh", "-c", "while [ ! -e /tmp/go ]; do sleep 1; done; exit 42").build();
        Handle handle = new Handle(backend.name(), a.run(spec).handle());
        a.close();
        a = null;

        // No Berth process runs: the workload is told to finish, and exits, behind Berth's back.
        assertThat(backend.exec(handle, ExecRequest.of("touch", "/tmp/go")).exitCode()).isZero();
        assertThat(backend.waitExit(handle, WAIT).code()).isEqualTo(42);

        a = engine(dirA);
        var report = a.reconcile();

        var outcome = outcome(report, job);
        assertThat(outcome.outcome()).isEqualTo(ReconcileReport.Outcome.EXITED);
        assertThat(outcome.changed()).isTrue();
        assertThat(outcome.exit().code()).isEqualTo(42);
        var status = a.inspect(job);
        assertThat(status.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(status.exit().code()).isEqualTo(42);
        assertThat(status.finishedAt()).isNotNull();
    }

    @Test
    void runningWorkloadIsReattachedAfterARestartAndExecReachesIt() {
        String web = name("web");
        a.run(idle(web));
        a.close();
        a = engine(dirA);

        var outcome = outcome(a.reconcile(), web);

        assertThat(outcome.outcome()).isEqualTo(ReconcileReport.Outcome.REATTACHED);
        assertThat(outcome.state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(a.exec(web, ExecRequest.of("echo", "still here")).stdout()).isEqualTo("still here\n");
    }

    @Test
    void workloadRemovedBehindBerthsBackIsMarkedLost() {
        String gone = name("gone");
        Handle handle = new Handle(backend.name(), a.run(idle(gone)).handle());
        assertThat(backend.remove(handle)).isTrue();

        var outcome = outcome(a.reconcile(), gone);

        assertThat(outcome.outcome()).isEqualTo(ReconcileReport.Outcome.LOST);
        var status = a.inspect(gone);
        assertThat(status.state()).isEqualTo(WorkloadState.FAILED);
        assertThat(status.message()).contains("lost");
    }

    @AfterEach
    void removeEverythingOfBothOwners() {
        if (backend == null) {
            return;
        }
        try {
            for (Engine e : new Engine[] {a, b}) {
                if (e != null) {
                    e.close();
                }
            }
            var failures = new ArrayList<String>();
            for (String owner : List.of(ownerA, ownerB)) {
                var resources = new ArrayList<>(backend.listOwned(owner));
                resources.sort(Comparator.comparing(r -> r.kind() == OwnedResource.Kind.WORKLOAD ? 0 : 1));
                for (OwnedResource r : resources) {
                    try {
                        if (r.kind() == OwnedResource.Kind.NETWORK) {
                            backend.networks().remove(r.name(), owner);
                        } else {
                            backend.remove(new Handle(backend.name(), r.id()));
                        }
                    } catch (BerthException e) {
                        failures.add(r.kind() + " " + r.name() + ": " + e.getMessage());
                    }
                }
            }
            assertThat(failures).as("cleanup failures").isEmpty();
            Await.until(WAIT, () -> backend.listOwned(ownerA).isEmpty() && backend.listOwned(ownerB).isEmpty(),
                    "no resource of owners " + ownerA + " and " + ownerB + " to remain");
        } finally {
            backend.close();
        }
    }
}
