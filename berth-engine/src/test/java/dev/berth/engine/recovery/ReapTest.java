package dev.berth.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.model.BackendResource;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.model.NetworkSpec;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.engine.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import dev.berth.engine.testing.FakeBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reaper, foreign owners and prune: two engines (two data dirs, two owner ids) sharing one
 * in-memory runtime, as two Berth daemons share one dockerd.
 */
class ReapTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private final FakeBackend fake = new FakeBackend("fake");
    private Engine a;
    private Engine b;

    @BeforeEach
    void open() {
        a = Engine.builder().dataDir(dirA).provider(fake.provider()).build();
        b = Engine.builder().dataDir(dirB).provider(fake.provider()).build();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private static WorkloadSpec spec(String name) {
        return WorkloadSpec.builder(name, "busybox").command("sleep", "1000").build();
    }

    private static List<String> ids(List<CleanupReport.Entry> entries) {
        return entries.stream().map(e -> e.resource().id()).toList();
    }

    @Test
    void reapRemovesOnlyOurResourcesThatNoRecordExplains() {
        String kept = a.run(spec("kept")).handle();
        a.createNetwork(null, new NetworkSpec("net-kept", false, null));
        var orphan = fake.put(a.ownerId(), "orphan", 7);
        var staleGeneration = fake.put(a.ownerId(), "kept", 1);
        var unlabelled = fake.put(a.ownerId(), null, 0);
        fake.putNetwork(a.ownerId(), "net-orphan");
        var foreign = fake.put(b.ownerId(), "theirs", 1);
        fake.putNetwork(b.ownerId(), "net-theirs");

        var report = a.reap();

        assertThat(ids(report.removed())).containsExactlyInAnyOrder(orphan.id, staleGeneration.id, unlabelled.id, "n-net-orphan");
        assertThat(report.failed()).isEmpty();
        assertThat(fake.containers).containsOnlyKeys(kept, foreign.id);
        assertThat(fake.networks).containsOnlyKeys("net-kept", "net-theirs");
        assertThat(report.removed()).filteredOn(e -> e.resource().id().equals(staleGeneration.id)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("generation 1 is not the record's"));
        assertThat(report.removed().getLast().resource().kind()).as("networks after workloads").isEqualTo(BackendResource.Kind.NETWORK);
    }

    @Test
    void ownershipIsExactEvenWhenTheBackendFiltersByPrefix() {
        fake.sloppyOwnerFilter = true;
        var lookalike = fake.put(a.ownerId() + "0", "lookalike", 1);
        fake.putNetwork(a.ownerId() + "-x", "net-lookalike");

        assertThat(a.reap().removed()).isEmpty();
        assertThat(fake.containers).containsKey(lookalike.id);
        assertThat(fake.networks).containsKey("net-lookalike");

        b.pruneOwner(a.ownerId());
        assertThat(fake.containers).as("prune of one owner spares a longer id").containsKey(lookalike.id);
    }

    @Test
    void anotherEnginesReapNeverTouchesOurResourcesButListsThemAsForeign() {
        var orphan = fake.put(a.ownerId(), "orphan", 7);
        a.run(spec("recorded"));

        assertThat(b.reap().removed()).isEmpty();
        assertThat(fake.containers).containsKey(orphan.id);

        var foreign = b.foreignResources();
        assertThat(foreign).containsOnlyKeys(a.ownerId());
        assertThat(foreign.get(a.ownerId())).extracting(BackendResource::workload).containsExactlyInAnyOrder("orphan", "recorded");
        assertThat(a.foreignResources()).isEmpty();
    }

    @Test
    void pruneOwnerRemovesEveryResourceOfThatOwnerOnly() {
        a.run(spec("one"));
        a.createNetwork(null, new NetworkSpec("net-a", false, null));
        fake.put(a.ownerId(), "orphan", 7);
        String ours = b.run(spec("two")).handle();
        var third = fake.put("berth-third", "three", 1);

        var report = b.pruneOwner(a.ownerId());

        assertThat(report.removed()).hasSize(3);
        assertThat(report.removed()).extracting(e -> e.resource().owner()).containsOnly(a.ownerId());
        assertThat(report.removed().getLast().resource().kind()).isEqualTo(BackendResource.Kind.NETWORK);
        assertThat(fake.containers).containsOnlyKeys(ours, third.id);
        assertThat(fake.networks).isEmpty();
    }

    @Test
    void pruneOwnerRefusesOurOwnIdAndPointsAtReap() {
        fake.put(a.ownerId(), "orphan", 7);

        assertThatThrownBy(() -> a.pruneOwner(a.ownerId())).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("this engine's own", "berth system reap");
        });
        assertThatThrownBy(() -> a.pruneOwner(" ")).isInstanceOf(BerthException.class);
        assertThat(fake.containers).hasSize(1);
    }

    @Test
    void aCrashInTheMiddleOfARemoveLeavesNoRecordAndTheReaperRemovesTheContainer() {
        String id = a.run(spec("going")).handle();
        fake.crash = FakeBackend.Crash.BEFORE_REMOVE;
        assertThatThrownBy(() -> a.remove("going", true)).isInstanceOf(FakeBackend.SimulatedCrash.class);
        fake.crash = FakeBackend.Crash.NONE;

        assertThat(a.list(true)).as("the user's remove is not undone by the crash").isEmpty();
        assertThat(fake.containers).containsKey(id);
        assertThat(ids(a.reap().removed())).containsExactly(id);
        assertThat(fake.containers).isEmpty();
    }

    @Test
    void aRemoveTheBackendRefusesKeepsTheRecord() {
        a.run(spec("stuck"));
        fake.refuseRemove = true;
        assertThatThrownBy(() -> a.remove("stuck", true)).isInstanceOfSatisfying(BerthException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_ERROR));
        fake.refuseRemove = false;

        assertThat(a.list(true)).extracting(WorkloadStatus::name).containsExactly("stuck");
        assertThat(a.remove("stuck", true)).isTrue();
        assertThat(fake.containers).isEmpty();
    }

    @Test
    void reapKeepsTheResourceOfARecordStillWithoutHandle() {
        fake.crash = FakeBackend.Crash.AFTER_CREATE;
        assertThatThrownBy(() -> a.create(spec("half"))).isInstanceOf(FakeBackend.SimulatedCrash.class);
        fake.crash = FakeBackend.Crash.NONE;

        assertThat(a.reap().removed()).isEmpty();
        assertThat(a.reconcile(Duration.ZERO).workloads().getFirst().adopted()).isTrue();
    }

    @Test
    void reapSkipsAnUnavailableBackendAndSaysSo() {
        fake.put(a.ownerId(), "orphan", 7);
        fake.available = false;
        try (Engine again = Engine.builder().dataDir(dirA).provider(fake.provider()).build()) {
            var report = again.reap();
            assertThat(report.removed()).isEmpty();
            assertThat(report.skippedBackends()).singleElement().asString().startsWith("fake: ").contains("switched off");
        }
    }
}
