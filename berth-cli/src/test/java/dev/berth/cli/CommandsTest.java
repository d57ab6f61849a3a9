package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.ExecEvent;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogStream;
import dev.berth.api.model.PublishedPort;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.Protocol;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandsTest {
    private final CliRunner cli = new CliRunner();

    private void exited(String name, int code) {
        cli.client.workloads.put(name, new WorkloadStatus(name, "docker", "h1", "busybox:latest", WorkloadState.EXITED,
                ExitStatus.ofCode(code), null, "10.0.0.7", Map.of("n1", "10.0.0.7"),
                List.of(new PublishedPort(80, Protocol.TCP, "127.0.0.1", 32768)),
                Instant.parse("2024-05-01T12:00:00Z"), null, null, 0, 2, Map.of(), null));
    }

    private void running(String name) {
        cli.client.workloads.put(name, FakeClient.status(name, WorkloadState.RUNNING, null));
    }

    @Test
    void execStreamsOutputAndPassesTheExitCodeThrough() {
        running("web");
        cli.client.execEvents.add(new ExecEvent.Output(LogStream.STDOUT, "out\n".getBytes(StandardCharsets.UTF_8)));
        cli.client.execEvents.add(new ExecEvent.Output(LogStream.STDERR, "err\n".getBytes(StandardCharsets.UTF_8)));
        cli.client.execEvents.add(new ExecEvent.Exited(3));
        var r = cli.run("exec", "-e", "K=$(x) y", "-u", "1000", "-w", "/tmp", "web", "sh", "-c", "exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
        var req = cli.client.lastExec;
        assertThat(req.argv()).containsExactly("sh", "-c", "exit 3");
        assertThat(req.env()).containsEntry("K", "$(x) y");
        assertThat(req.user()).isEqualTo("1000");
        assertThat(req.workingDir()).isEqualTo("/tmp");
        assertThat(req.stdin()).isFalse();
    }

    @Test
    void execInteractiveCopiesStdinToTheSession() throws Exception {
        running("web");
        cli.stdin = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
        cli.client.execEvents.add(new ExecEvent.Exited(0));
        var r = cli.run("exec", "-i", "web", "cat");
        assertThat(r.exitCode()).isZero();
        assertThat(cli.client.lastExec.stdin()).isTrue();
        for (int i = 0; i < 100 && cli.client.execStdin.size() < 18; i++) {
            Thread.sleep(10); // the copy runs on its own thread; give it a moment
        }
        assertThat(cli.client.execStdin.toString(StandardCharsets.UTF_8)).isEqualTo("line one\nline two\n");
    }

    @Test
    void execWithoutCommandIsAUsageError() {
        var r = cli.run("exec", "web");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).hasSize(1);
    }

    @Test
    void waitPrintsAndExitsWithTheExitCode() {
        running("job");
        cli.client.exitCode = 42;
        var r = cli.run("wait", "job");
        assertThat(r.exitCode()).isEqualTo(42);
        assertThat(r.out()).isEqualTo("42\n");
    }

    @Test
    void waitOnSeveralExitsWithTheLastCode() {
        running("a");
        running("b");
        cli.client.exitCode = 5;
        var r = cli.run("wait", "a", "b");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.out()).isEqualTo("5\n5\n");
    }

    @Test
    void inspectPrintsStatusJsonWithStateExitCodeIpAndPorts() throws Exception {
        exited("job", 137);
        var r = cli.run("inspect", "job");
        assertThat(r.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("name").asText()).isEqualTo("job");
        assertThat(json.get("state").asText()).isEqualTo("EXITED");
        assertThat(json.get("exitCode").asInt()).isEqualTo(137);
        assertThat(json.get("exit").get("signal").asText()).isEqualTo("SIGKILL");
        assertThat(json.get("ip").asText()).isEqualTo("10.0.0.7");
        assertThat(json.get("ports").get(0).get("hostPort").asInt()).isEqualTo(32768);
        assertThat(json.get("ports").get(0).get("protocol").asText()).isEqualTo("tcp");
        assertThat(json.get("createdAt").asText()).isEqualTo("2024-05-01T12:00:00Z");
    }

    @Test
    void inspectOfARunningWorkloadHasANullExitCode() throws Exception {
        running("web");
        JsonNode json = new ObjectMapper().readTree(cli.run("inspect", "web").out());
        assertThat(json.get("state").asText()).isEqualTo("RUNNING");
        assertThat(json.has("exitCode")).isTrue();
        assertThat(json.get("exitCode").isNull()).isTrue();
    }

    @Test
    void inspectOfSeveralPrintsAnArrayAndReportsMissingOnesAsOneLineEach() throws Exception {
        running("a");
        var r = cli.run("inspect", "a", "missing");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(new ObjectMapper().readTree(r.out()).isArray()).isTrue();
        assertThat(r.errLines()).containsExactly("berth: workload 'missing' not found");
    }

    @Test
    void psPrintsATable() {
        exited("job", 1);
        var r = cli.run("ps", "-a");
        assertThat(r.exitCode()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("NAME").contains("BACKEND", "IMAGE", "STATE", "EXIT", "IP", "PORTS", "CREATED");
        assertThat(lines.get(1)).contains("job", "docker", "busybox:latest", "exited", "10.0.0.7",
                "127.0.0.1:32768->80/tcp");
    }

    @Test
    void psJsonIsAnArrayOfInspectObjects() throws Exception {
        exited("job", 0);
        JsonNode json = new ObjectMapper().readTree(cli.run("ps", "--format", "json").out());
        assertThat(json.get(0).get("exitCode").asInt()).isZero();
    }

    @Test
    void logsSplitStreamsAndPassTheQuery() {
        running("web");
        cli.client.logLines.add(new LogLine(LogStream.STDOUT, Instant.parse("2024-05-01T12:00:00Z"), "a"));
        cli.client.logLines.add(new LogLine(LogStream.STDERR, Instant.parse("2024-05-01T12:00:01Z"), "b"));
        var r = cli.run("logs", "--tail", "5", "-t", "web");
        assertThat(r.out()).isEqualTo("2024-05-01T12:00:00Z a\n");
        assertThat(r.err()).isEqualTo("2024-05-01T12:00:01Z b\n");
        assertThat(cli.client.lastLogQuery.tail()).isEqualTo(5);
        assertThat(cli.client.lastLogQuery.follow()).isFalse();
    }

    @Test
    void lifecycleVerbsPrintNamesAndPassArguments() {
        running("a");
        running("b");
        assertThat(cli.run("stop", "-t", "3", "a", "b").out()).isEqualTo("a\nb\n");
        assertThat(cli.client.calls).contains("stop 3");
        assertThat(cli.run("kill", "-s", "hup", "a").out()).isEqualTo("a\n");
        assertThat(cli.client.calls).contains("kill SIGHUP");
        assertThat(cli.run("rm", "-f", "a", "ghost").exitCode()).isZero();
    }

    @Test
    void rmOfAMissingWorkloadIsAnError() {
        var r = cli.run("rm", "ghost");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).containsExactly("berth: workload 'ghost' not found");
    }

    @Test
    void badSignalIsOneLine() {
        var r = cli.run("kill", "-s", "NOPE", "a");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).singleElement().asString().startsWith("berth: --signal: invalid value 'NOPE'");
    }

    @Test
    void berthErrorsAreOneLineWithoutStackTrace() {
        cli.client.failure = new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "docker: no socket at /var/run/docker.sock");
        var r = cli.run("start", "x");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).containsExactly("berth: docker: no socket at /var/run/docker.sock");
    }

    @Test
    void unexpectedErrorsAreOneLineAndStackTracesNeedDebug() {
        cli.client.failure = new IllegalStateException("boom\nsecond line");
        var r = cli.run("start", "x");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("berth: unexpected error: IllegalStateException: boom; second line (run with --debug for details)");

        var debug = cli.run("--debug", "start", "x");
        assertThat(debug.exitCode()).isEqualTo(125);
        assertThat(debug.err()).contains("at dev.berth.cli.");
        var debugAfter = cli.run("start", "--debug", "x");
        assertThat(debugAfter.err()).contains("at dev.berth.cli.");
    }

    @Test
    void statsPrintsOneSampleWithNoStream() {
        running("web");
        var r = cli.run("stats", "--no-stream", "web");
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("NAME").contains("CPU %", "MEM USAGE / LIMIT", "PIDS");
        assertThat(lines.get(1)).contains("web", "12.50%", "64.0MiB / 256.0MiB", "25.00%").endsWith("3");
    }

    @Test
    void statsStreamPrintsTheHeaderOnceWhenNotATerminal() {
        running("web");
        List<String> lines = cli.run("stats", "web").out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("NAME");
    }

    @Test
    void networkCommands() {
        assertThat(cli.run("network", "create", "--internal", "--subnet", "10.1.0.0/24", "n2").out()).isEqualTo("n2\n");
        assertThat(cli.run("network", "ls").out()).contains("NAME", "net1", "true", "10.89.0.0/24");
        assertThat(cli.run("network", "rm", "net1").exitCode()).isZero();
        assertThat(cli.run("network", "rm", "other").exitCode()).isEqualTo(125);
        var bad = cli.run("network", "create", "Bad Name");
        assertThat(bad.exitCode()).isEqualTo(125);
        assertThat(bad.errLines()).hasSize(1);
    }

    @Test
    void infoShowsEachBackend() {
        var r = cli.run("info");
        assertThat(r.out()).contains("Owner id:        owner-1", "docker: available", "27.1.1", "no firewall enforcement",
                "podman: unavailable: no socket at /run/podman/podman.sock");
    }

    @Test
    void versionAndHelpNeedNoClient() {
        var ctxFactoryCalled = new boolean[1];
        var out = new java.io.ByteArrayOutputStream();
        var ctx = new CliContext(new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err,
                java.io.InputStream.nullInputStream(), o -> {
                    ctxFactoryCalled[0] = true;
                    return cli.client;
                }, () -> false);
        assertThat(Main.execute(new String[] {"version"}, ctx)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("berth version ");
        assertThat(ctxFactoryCalled[0]).isFalse();
        assertThat(cli.run("--help").out()).contains("Usage: berth", "run", "inspect");
        assertThat(cli.run("ps", "--help").out()).startsWith("Usage: berth ps");
    }

    @Test
    void globalOptionsReachTheClientFactory() {
        var seen = new GlobalOptions[1];
        var ctx = new CliContext(new java.io.PrintStream(new java.io.ByteArrayOutputStream()), System.err,
                java.io.InputStream.nullInputStream(), o -> {
                    seen[0] = o;
                    return cli.client;
                }, () -> false);
        Main.execute(new String[] {"--backend", "podman", "--engine-socket", "/tmp/s.sock", "ps", "--data-dir", "/tmp/d"}, ctx);
        assertThat(seen[0].backend).isEqualTo("podman");
        assertThat(seen[0].engineSocket).isEqualTo("/tmp/s.sock");
        assertThat(seen[0].dataDir).hasToString("/tmp/d");
        assertThat(cli.client.closed).isTrue();
    }
}
