package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogStream;
import dev.berth.api.spec.Isolation;
import dev.berth.api.spec.PortMapping;
import dev.berth.api.spec.Protocol;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spec.RestartMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    private final CliRunner cli = new CliRunner();

    @Test
    void detachedRunPrintsTheNameAndExitsZero() {
        var r = cli.run("run", "-d", "--name", "web", "busybox");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("web\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void nameIsGeneratedWhenAbsent() {
        var r = cli.run("run", "-d", "busybox");
        assertThat(r.out().strip()).matches("[a-z]+-[a-z]+-[0-9a-f]{4}");
        assertThat(cli.client.lastSpec.name()).isEqualTo(r.out().strip());
    }

    @Test
    void trailingArgumentsReplaceCmdAndKeepTheirOwnFlags() {
        cli.run("run", "-d", "--name", "a", "busybox", "ls", "-la", "--name", "x");
        assertThat(cli.client.lastSpec.command()).isNull();
        assertThat(cli.client.lastSpec.args()).containsExactly("ls", "-la", "--name", "x");
    }

    @Test
    void noCommandKeepsTheImageDefaults() {
        cli.run("run", "-d", "--name", "a", "busybox");
        assertThat(cli.client.lastSpec.command()).isNull();
        assertThat(cli.client.lastSpec.args()).isNull();
    }

    @Test
    void entrypointReplacesCommandAndTrailingArgumentsBecomeArgs() {
        cli.run("run", "-d", "--name", "a", "--entrypoint", "/bin/sh", "busybox", "-c", "echo hi");
        assertThat(cli.client.lastSpec.command()).containsExactly("/bin/sh");
        assertThat(cli.client.lastSpec.args()).containsExactly("-c", "echo hi");
    }

    @Test
    void entrypointWithoutArgumentsClearsTheImageCmd() {
        cli.run("run", "-d", "--name", "a", "--entrypoint", "/bin/true", "busybox");
        assertThat(cli.client.lastSpec.command()).containsExactly("/bin/true");
        assertThat(cli.client.lastSpec.args()).isEmpty();
    }

    @Test
    void envValuesPassThroughLiterally() {
        var r = cli.run("run", "-d", "--name", "a", "-e", "a=b=c", "-e", "X=$(touch /tmp/p) \"q\" 'v' $HOME", "busybox");
        assertThat(r.exitCode()).isZero();
        assertThat(cli.client.lastSpec.env())
                .containsExactly(Map.entry("a", "b=c"), Map.entry("X", "$(touch /tmp/p) \"q\" 'v' $HOME"));
    }

    @Test
    void argumentsStartingWithAtAreNotExpandedAsFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("args");
        Files.writeString(file, "--secret\n");
        cli.run("run", "-d", "--name", "a", "busybox", "echo", "@" + file);
        assertThat(cli.client.lastSpec.args()).containsExactly("echo", "@" + file);
    }

    @Test
    void publishFlagsBecomePortMappings() {
        cli.run("run", "-d", "--name", "a", "-p", "8080", "-p", "0:8081", "-p", "127.0.0.1:8080:80/udp", "busybox");
        assertThat(cli.client.lastSpec.ports()).containsExactly(
                new PortMapping(8080, 0, Protocol.TCP, null),
                new PortMapping(8081, 0, Protocol.TCP, null),
                new PortMapping(80, 8080, Protocol.UDP, "127.0.0.1"));
    }

    @Test
    void resourceAndSecurityFlagsReachTheSpec() {
        var r = cli.run("run", "-d", "--name", "a", "--cpus", "0.5", "--memory", "256Mi", "--pids-limit", "64",
                "--user", "1000:1000", "-w", "/work", "--isolation", "sandbox", "--restart", "on-failure:2",
                "--read-only", "--tmpfs", "/tmp:size=16m", "--cap-add", "net_admin", "--cap-drop", "ALL",
                "--ulimit", "nofile=100:200", "--label", "team=core", "--pull", "never", "--host-access",
                "--network", "n1", "--runtime", "runsc", "--backend", "docker", "busybox");
        assertThat(r.err()).isEmpty();
        var spec = cli.client.lastSpec;
        assertThat(spec.resources().cpus()).isEqualTo(0.5);
        assertThat(spec.resources().memory()).isEqualTo("256Mi");
        assertThat(spec.resources().pids()).isEqualTo(64);
        assertThat(spec.user()).isEqualTo("1000:1000");
        assertThat(spec.workingDir()).isEqualTo("/work");
        assertThat(spec.isolation()).isEqualTo(Isolation.SANDBOX);
        assertThat(spec.restart().policy()).isEqualTo(RestartMode.ON_FAILURE);
        assertThat(spec.restart().maxRetries()).isEqualTo(2);
        assertThat(spec.readOnlyRootfs()).isTrue();
        assertThat(spec.tmpfs()).singleElement().satisfies(t -> assertThat(t.size()).isEqualTo("16m"));
        assertThat(spec.capabilities().add()).containsExactly("NET_ADMIN");
        assertThat(spec.capabilities().drop()).containsExactly("ALL");
        assertThat(spec.ulimits()).containsKey("nofile");
        assertThat(spec.labels()).containsEntry("team", "core");
        assertThat(spec.pullPolicy()).isEqualTo(PullPolicy.NEVER);
        assertThat(spec.hostAccess()).isTrue();
        assertThat(spec.networks()).containsExactly("n1");
        assertThat(spec.runtime()).isEqualTo("runsc");
    }

    @Test
    void invalidNameExits125WithOneStderrLine() {
        var r = cli.run("run", "--name", "Bad_Name", "busybox");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).singleElement().asString().startsWith("berth: name: invalid value 'Bad_Name'");
        assertThat(r.out()).isEmpty();
        assertThat(cli.client.calls).doesNotContain("run");
    }

    @Test
    void unknownFlagExits125WithOneStderrLinePointingAtHelp() {
        var r = cli.run("run", "--bogus", "busybox");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("berth: Unknown option: '--bogus' (see 'berth run --help')");
    }

    @Test
    void badFlagValueExits125NamingTheFlag() {
        var r = cli.run("run", "-p", "80/icmp", "busybox");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).singleElement().asString().startsWith("berth: --publish: invalid value '80/icmp'");
    }

    @Test
    void missingImageExits125() {
        var r = cli.run("run", "-d");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).singleElement().asString().startsWith("berth: IMAGE: required");
    }

    @Test
    void foregroundRunStreamsBothStreamsAndExitsWithTheWorkloadsCode() {
        cli.client.logLines.add(new LogLine(LogStream.STDOUT, null, "hello"));
        cli.client.logLines.add(new LogLine(LogStream.STDERR, null, "oops"));
        cli.client.exitCode = 7;
        var r = cli.run("run", "--name", "job", "busybox");
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.out()).isEqualTo("hello\n");
        assertThat(r.err()).isEqualTo("oops\n");
        assertThat(cli.client.lastLogQuery.follow()).isTrue();
        assertThat(cli.client.workloads).containsKey("job");
    }

    @Test
    void foregroundRunWithRmRemovesTheWorkloadAfterItExits() {
        cli.client.exitCode = 3;
        var r = cli.run("run", "--rm", "--name", "job", "busybox");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(cli.client.workloads).doesNotContainKey("job");
        assertThat(cli.client.calls).contains("remove job true");
    }

    @Test
    void rmWithDetachAsksTheEngineToRemoveTheWorkloadOnExit() {
        assertThat(cli.run("run", "-d", "--rm", "--name", "gone", "busybox").exitCode()).isZero();
        assertThat(cli.client.lastSpec.autoRemove()).isTrue();

        assertThat(cli.run("run", "-d", "--name", "kept", "busybox").exitCode()).isZero();
        assertThat(cli.client.lastSpec.autoRemove()).isFalse();

        var r = cli.run("run", "-d", "--rm", "--restart", "always", "busybox");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).singleElement().asString().startsWith("berth: autoRemove")
                .contains("restart policy always");
    }

    @Test
    void specFileIsTheBaseAndFlagsOverrideIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, """
                name: from-file
                image: busybox:1.36
                args: [sleep, "60"]
                env: {A: "1", B: "2"}
                ports: [{containerPort: 80}]
                labels: {team: core}
                """);
        var r = cli.run("run", "-d", "-f", file.toString(), "-e", "B=3", "-p", "9090:90");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("from-file\n");
        var spec = cli.client.lastSpec;
        assertThat(spec.image()).isEqualTo("busybox:1.36");
        assertThat(spec.args()).containsExactly("sleep", "60");
        assertThat(spec.env()).containsExactly(Map.entry("A", "1"), Map.entry("B", "3"));
        assertThat(spec.ports()).containsExactly(new PortMapping(90, 9090, Protocol.TCP, null));
        assertThat(spec.labels()).containsEntry("team", "core");

        cli.run("run", "-d", "-f", file.toString(), "--name", "other", "alpine", "true");
        assertThat(cli.client.lastSpec.name()).isEqualTo("other");
        assertThat(cli.client.lastSpec.image()).isEqualTo("alpine");
        assertThat(cli.client.lastSpec.args()).isEqualTo(List.of("true"));
    }

    @Test
    void applyRunsTheSpecFileAndPrintsItsName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spec.json");
        Files.writeString(file, "{\"name\": \"api\", \"image\": \"busybox\"}");
        var r = cli.run("apply", "-f", file.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("api\n");
    }

    @Test
    void applyReportsSpecErrorsAsOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, "name: api\nimage: busybox\nbogus: 1\n");
        var r = cli.run("apply", "-f", file.toString());
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).singleElement().asString().startsWith("berth: bogus: unknown field");
    }
}
