package dev.berth.engine.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.ReconcileReport;
import dev.berth.api.model.ReconcileReport.Outcome;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.engine.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import dev.berth.engine.testing.FakeBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine.reconcile() against an in-memory backend that lives on while engines come and go. */
class ReconcileTest {
    @TempDir
    Path dataDir;

    private final FakeBackend fake = new FakeBackend("fake");
    private Engine engine;

    /** A fresh engine on the same data dir: what a restarted Berth process sees. */
    private Engine reopen() {
        if (engine != null) {
            engine.close();
        }
        engine = Engine.builder().dataDir(dataDir).provider(fake.provider()).defaultBackend("fake").build();
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static WorkloadSpec spec(String name) {
        return WorkloadSpec.builder(name, "busybox").command("sleep", "1000").build();
    }

    /** The record alone, as an engine whose backend cannot be reached shows it (no fold from the backend). */
    private WorkloadStatus recorded(String name) {
        fake.available = false;
        try {
            return reopen().inspect(name);
        } finally {
            fake.available = true;
            reopen();
        }
    }

    private static ReconcileReport.WorkloadOutcome only(ReconcileReport report) {
        assertThat(report.workloads()).hasSize(1);
        return report.workloads().getFirst();
    }

    @Test
    void runningWorkloadIsReattachedAndLogsAndExecReachIt() {
        String id = reopen().run(spec("web")).handle();

        var report = reopen().reconcile();

        var web = only(report);
        assertThat(web.outcome()).isEqualTo(Outcome.REATTACHED);
        assertThat(web.state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(web.changed()).isFalse();
        assertThat(report.count(Outcome.REATTACHED)).isEqualTo(1);
        assertThat(report.count(Outcome.LOST)).isZero();
        try (Stream<LogLine> logs = engine.logs("web", LogQuery.ALL)) {
            assertThat(logs.map(LogLine::text)).containsExactly("hello from " + id);
        }
        assertThat(engine.exec("web", dev.berth.api.model.ExecRequest.of("true")).stdout()).isEqualTo("exec in " + id);
    }

    @Test
    void workloadThatExitedWhileNoEngineRanGetsItsRealExitCodeRecorded() {
        String id = reopen().run(spec("job")).handle();
        engine.close();
        engine = null;
        fake.exit(new dev.berth.api.spi.Handle("fake", id), 42);

        var job = only(reopen().reconcile());

        assertThat(job.outcome()).isEqualTo(Outcome.EXITED);
        assertThat(job.changed()).isTrue();
        assertThat(job.exit().code()).isEqualTo(42);
        var record = recorded("job");
        assertThat(record.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(record.exit().code()).isEqualTo(42);
        assertThat(record.finishedAt()).isEqualTo(java.time.Instant.parse("2024-05-01T12:00:00Z"));
    }

    @Test
    void workloadWhoseResourceWasRemovedBehindBerthsBackBecomesFailedLost() {
        String id = reopen().run(spec("gone")).handle();
        fake.containers.remove(id);

        var gone = only(reopen().reconcile());

        assertThat(gone.outcome()).isEqualTo(Outcome.LOST);
        assertThat(gone.state()).isEqualTo(WorkloadState.FAILED);
        assertThat(gone.message()).startsWith("lost");
        var record = recorded("gone");
        assertThat(record.state()).isEqualTo(WorkloadState.FAILED);
        assertThat(record.message()).contains("lost");
        assertThat(only(engine.reconcile()).changed()).as("a second reconcile changes nothing").isFalse();
    }

    @Test
    void recordWithoutHandleAdoptsTheResourceItsLabelsFind() {
        fake.crash = FakeBackend.Crash.AFTER_CREATE;
        assertThatThrownBy(() -> reopen().create(spec("half"))).isInstanceOf(FakeBackend.SimulatedCrash.class);
        fake.crash = FakeBackend.Crash.NONE;
        assertThat(recorded("half").handle()).as("the crash left the record without a handle").isNull();

        var half = only(reopen().reconcile(Duration.ZERO));

        assertThat(half.adopted()).isTrue();
        assertThat(half.outcome()).isEqualTo(Outcome.REATTACHED);
        assertThat(half.state()).isEqualTo(WorkloadState.CREATED);
        assertThat(recorded("half").handle()).isEqualTo(fake.byWorkload("half").id);
        assertThat(engine.start("half").state()).isEqualTo(WorkloadState.RUNNING);
    }

    @Test
    void recordWithoutHandleOrResourceIsRemovedSoTheNameIsFreeAgain() {
        fake.crash = FakeBackend.Crash.BEFORE_CREATE;
        assertThatThrownBy(() -> reopen().create(spec("never"))).isInstanceOf(FakeBackend.SimulatedCrash.class);
        fake.crash = FakeBackend.Crash.NONE;

        var never = only(reopen().reconcile(Duration.ZERO));

        assertThat(never.outcome()).isEqualTo(Outcome.FORGOTTEN);
        assertThat(never.message()).contains("never created");
        assertThat(engine.list(true)).isEmpty();
        assertThat(engine.create(spec("never")).state()).isEqualTo(WorkloadState.CREATED);
    }

    @Test
    void youngRecordWithoutHandleIsLeftAloneAsACreateInFlight() {
        fake.crash = FakeBackend.Crash.BEFORE_CREATE;
        assertThatThrownBy(() -> reopen().create(spec("pulling"))).isInstanceOf(FakeBackend.SimulatedCrash.class);
        fake.crash = FakeBackend.Crash.NONE;

        var pulling = only(reopen().reconcile());

        assertThat(pulling.outcome()).isEqualTo(Outcome.IN_FLIGHT);
        assertThat(pulling.changed()).isFalse();
        assertThat(engine.list(true)).extracting(WorkloadStatus::name).containsExactly("pulling");
    }

    @Test
    void leftoverOfAnEarlierGenerationIsNeverAdoptedAndTheReaperRemovesIt() {
        fake.crash = FakeBackend.Crash.BEFORE_CREATE;
        assertThatThrownBy(() -> reopen().create(spec("reused"))).isInstanceOf(FakeBackend.SimulatedCrash.class);
        fake.crash = FakeBackend.Crash.NONE;
        var stale = fake.put(engine.ownerId(), "reused", 1);

        var reused = only(reopen().reconcile(Duration.ZERO));
        var reaped = engine.reap();

        assertThat(reused.adopted()).isFalse();
        assertThat(reused.outcome()).isEqualTo(Outcome.FORGOTTEN);
        assertThat(reaped.removed()).extracting(e -> e.resource().id()).containsExactly(stale.id);
        assertThat(reaped.removed().getFirst().reason()).contains("no record for workload 'reused'");
    }

    @Test
    void recordsOnAnUnreachableBackendAreLeftUntouched() {
        String id = reopen().run(spec("far")).handle();
        fake.containers.remove(id);
        fake.available = false;

        var far = only(reopen().reconcile());

        assertThat(far.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(far.message()).contains("switched off");
        assertThat(far.state()).isEqualTo(WorkloadState.RUNNING);
        fake.available = true;
        assertThat(only(reopen().reconcile()).outcome()).as("reachable again: now found lost").isEqualTo(Outcome.LOST);
    }

    @Test
    void reportCountsEveryOutcome() {
        reopen().run(spec("a"));
        String b = engine.run(spec("b")).handle();
        String c = engine.run(spec("c")).handle();
        fake.exit(new dev.berth.api.spi.Handle("fake", b), 3);
        fake.containers.remove(c);

        var report = reopen().reconcile();

        assertThat(report.counts()).containsEntry(Outcome.REATTACHED, 1).containsEntry(Outcome.EXITED, 1)
                .containsEntry(Outcome.LOST, 1).containsEntry(Outcome.FORGOTTEN, 0).hasSize(Outcome.values().length);
        assertThat(report.workloads()).extracting(ReconcileReport.WorkloadOutcome::name).containsExactly("a", "b", "c");
    }
}
