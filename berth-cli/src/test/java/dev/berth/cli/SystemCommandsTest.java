package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.BackendResource;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.ReconcileReport.Outcome;
import dev.berth.api.model.ReconcileReport.WorkloadOutcome;
import dev.berth.api.model.WorkloadState;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemCommandsTest {
    private final CliRunner cli = new CliRunner();

    private static BackendResource container(String owner, String name) {
        return new BackendResource("docker", BackendResource.Kind.WORKLOAD, "0123456789abcdef0123", name, owner, name, "1");
    }

    @Test
    void reconcilePrintsOneRowPerWorkloadAndASummary() {
        cli.client.reconcileOutcomes.addAll(List.of(
                new WorkloadOutcome("web", "docker", Outcome.REATTACHED, WorkloadState.RUNNING, null, false, false, null),
                new WorkloadOutcome("job", "docker", Outcome.EXITED, WorkloadState.EXITED, ExitStatus.ofCode(42), true, true, null),
                new WorkloadOutcome("db", "podman", Outcome.LOST, WorkloadState.FAILED, null, false, true,
                        "lost: the backend resource no longer exists")));

        var r = cli.run("system", "reconcile");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines()).hasSize(5);
        assertThat(r.out()).contains("NAME", "OUTCOME", "reattached", "handle adopted; exit code 42",
                "lost: the backend resource no longer exists",
                "Reconciled 3 workloads: 1 reattached, 1 exited, 1 lost.");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void reconcileWithAnUnreachableBackendSaysSoOnStderrAndExits125() {
        cli.client.reconcileOutcomes.add(new WorkloadOutcome("far", "podman", Outcome.UNREACHABLE, WorkloadState.RUNNING,
                null, false, false, "no backend is available"));

        var r = cli.run("system", "reconcile");

        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).containsExactly("berth: cannot reconcile far: no backend is available");
    }

    @Test
    void reconcileWithoutRecordsSaysSo() {
        var r = cli.run("system", "reconcile");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("No workloads to reconcile.\n");
    }

    @Test
    void reapPrintsOneLinePerRemovedResourceAndASummary() {
        cli.client.cleanup = new CleanupReport(List.of(
                new CleanupReport.Entry(container("owner-1", "orphan"), "no record for workload 'orphan'"),
                new CleanupReport.Entry(new BackendResource("docker", BackendResource.Kind.NETWORK, "feed", "net9", "owner-1",
                        null, null), "no network record 'net9'")), List.of(), List.of());

        var r = cli.run("system", "reap");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                removed workload orphan (0123456789ab) on docker: no record for workload 'orphan'
                removed network net9 (feed) on docker: no network record 'net9'
                Removed 2 resources.
                """);
        assertThat(cli.client.calls).containsExactly("reap");
    }

    @Test
    void reapReportsEachFailureOnOneLineAndExits125() {
        cli.client.cleanup = new CleanupReport(List.of(), List.of(new CleanupReport.Entry(container("owner-1", "stuck"),
                "docker: remove failed\nbecause")), List.of("podman: no socket"));

        var r = cli.run("system", "reap");

        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.out()).isEqualTo("Nothing to remove.\n");
        assertThat(r.errLines()).containsExactly("berth: note: backend not checked: podman: no socket",
                "berth: cannot remove workload stuck (0123456789ab) on docker: docker: remove failed; because");
    }

    @Test
    void pruneNeedsAnOwnerAndRemovesThatOwnersResources() {
        assertThat(cli.run("system", "prune").exitCode()).isEqualTo(125);
        cli.client.cleanup = new CleanupReport(List.of(new CleanupReport.Entry(container("berth-other", "theirs"),
                "owner berth-other")), List.of(), List.of());

        var r = cli.run("system", "prune", "--owner", "berth-other");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("removed workload theirs", "Removed 1 resource of owner berth-other.");
        assertThat(cli.client.calls).containsExactly("prune-owner berth-other");
    }

    @Test
    void pruneOfOurOwnIdIsOneLineAnd125() {
        var r = cli.run("system", "prune", "--owner", "owner-1");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).singleElement().asString().startsWith("berth: ").contains("berth system reap");
    }

    @Test
    void systemAloneIsAUsageError() {
        var r = cli.run("system");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.err()).contains("reconcile, reap, prune");
    }

    @Test
    void infoListsOtherOwnersCompactly() {
        assertThat(cli.run("info").out()).contains("Other owners:    none");
        cli.client.foreign.put("berth-other", List.of(container("berth-other", "a"), container("berth-other", "b"),
                new BackendResource("podman", BackendResource.Kind.NETWORK, "n1", "net1", "berth-other", null, null)));

        var r = cli.run("info");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Other owners:    1 (remove with 'berth system prune --owner ID')",
                "  berth-other: 2 workloads, 1 network on docker, podman");
        assertThat(cli.run("info", "--format", "json").out()).contains("\"otherOwners\"", "\"berth-other\"");
    }
}
