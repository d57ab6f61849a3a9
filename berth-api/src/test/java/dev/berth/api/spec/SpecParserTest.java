package dev.berth.api.spec;

import static dev.berth.api.spec.Rejections.invalidSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecParserTest {
    private final SpecParser parser = new SpecParser();

    /** Every field of the architecture document's example, plus the optional sub-fields. */
    private static final String FULL_YAML = """
            name: web-1
            backend: docker
            runtime: runc
            image: 127.0.0.1:5000/app:1.2
            pullPolicy: IfNotPresent
            command: ["/bin/app"]
            args: ["--port", "8080"]
            env: {LOG_LEVEL: debug, GREETING: "hello world"}
            workingDir: /srv
            user: "1000:1000"
            resources: {cpus: 0.5, memory: 256Mi, pids: 256}
            ports:
              - {containerPort: 8080, hostPort: 0, protocol: tcp}
              - {containerPort: 53, hostPort: 5353, protocol: udp, hostIp: 127.0.0.1}
            networks: [subnet-a]
            securityGroups: [web]
            volumes: [{name: data, mountPath: /data, size: 1Gi, encrypted: true, readOnly: false}]
            tmpfs: [{path: /tmp, size: 512Mi, exec: true, mode: "1777"}]
            files: [{path: /var/task, archive: code.zip}]
            userData: |
              echo hello > /tmp/booted
            keepAlive: true
            readiness: {tcp: 8080, timeout: 10s}
            restart: {policy: unless-stopped, maxRetries: 0}
            isolation: sandbox
            hostAccess: true
            labels: {team: payments}
            ulimits: {nofile: 4096, nproc: {soft: 100, hard: 200}}
            sysctls: {net.ipv4.ip_forward: "1"}
            capabilities: {add: [NET_ADMIN], drop: [cap_mknod]}
            readOnlyRootfs: false
            """;

    private static final String FULL_JSON = """
            {
              "name": "web-1",
              "backend": "docker",
              "runtime": "runc",
              "image": "127.0.0.1:5000/app:1.2",
              "pullPolicy": "IfNotPresent",
              "command": ["/bin/app"],
              "args": ["--port", "8080"],
              "env": {"LOG_LEVEL": "debug", "GREETING": "hello world"},
              "workingDir": "/srv",
              "user": "1000:1000",
              "resources": {"cpus": 0.5, "memory": "256Mi", "pids": 256},
              "ports": [
                {"containerPort": 8080, "hostPort": 0, "protocol": "tcp"},
                {"containerPort": 53, "hostPort": 5353, "protocol": "udp", "hostIp": "127.0.0.1"}
              ],
              "networks": ["subnet-a"],
              "securityGroups": ["web"],
              "volumes": [{"name": "data", "mountPath": "/data", "size": "1Gi", "encrypted": true, "readOnly": false}],
              "tmpfs": [{"path": "/tmp", "size": "512Mi", "exec": true, "mode": "1777"}],
              "files": [{"path": "/var/task", "archive": "code.zip"}],
              "userData": "echo hello > /tmp/booted\\n",
              "keepAlive": true,
              "readiness": {"tcp": 8080, "timeout": "10s"},
              "restart": {"policy": "unless-stopped", "maxRetries": 0},
              "isolation": "sandbox",
              "hostAccess": true,
              "labels": {"team": "payments"},
              "ulimits": {"nofile": 4096, "nproc": {"soft": 100, "hard": 200}},
              "sysctls": {"net.ipv4.ip_forward": "1"},
              "capabilities": {"add": ["NET_ADMIN"], "drop": ["cap_mknod"]},
              "readOnlyRootfs": false
            }
            """;

    private static WorkloadSpec expectedFullSpec() {
        return WorkloadSpec.builder("web-1", "127.0.0.1:5000/app:1.2")
                .backend(BackendKind.DOCKER)
                .runtime("runc")
                .pullPolicy(PullPolicy.IF_NOT_PRESENT)
                .command("/bin/app")
                .args("--port", "8080")
                .env("LOG_LEVEL", "debug")
                .env("GREETING", "hello world")
                .workingDir("/srv")
                .user("1000:1000")
                .resources(0.5, "256Mi", 256)
                .port(new PortMapping(8080, 0, Protocol.TCP, null))
                .port(new PortMapping(53, 5353, Protocol.UDP, "127.0.0.1"))
                .network("subnet-a")
                .securityGroup("web")
                .volume(new VolumeMount("data", "/data", "1Gi", true, false))
                .tmpfs(new TmpfsMount("/tmp", "512Mi", true, "1777"))
                .file("/var/task", "code.zip")
                .userData("echo hello > /tmp/booted\n")
                .keepAlive(true)
                .readiness(new Readiness(8080, null, null, null, "10s"))
                .restart(RestartMode.UNLESS_STOPPED, 0)
                .isolation(Isolation.SANDBOX)
                .hostAccess(true)
                .label("team", "payments")
                .ulimit("nofile", 4096, 4096)
                .ulimit("nproc", 100, 200)
                .sysctl("net.ipv4.ip_forward", "1")
                .capabilities(List.of("NET_ADMIN"), List.of("MKNOD"))
                .readOnlyRootfs(false)
                .build();
    }

    @Test
    void fullYamlSpecParsesEveryField() {
        WorkloadSpec spec = parser.parse(FULL_YAML);

        assertThat(spec).isEqualTo(expectedFullSpec());
        assertThat(spec.resources().memoryBytes()).isEqualTo(256L << 20);
        assertThat(spec.ulimits()).containsEntry("nproc", new Ulimit(100, 200)).containsEntry("nofile", Ulimit.of(4096));
        assertThat(spec.capabilities().drop()).containsExactly("MKNOD");
        assertThat(spec.readiness().timeoutDuration()).hasSeconds(10);
        assertThat(spec.userData()).isEqualTo("echo hello > /tmp/booted\n");
    }

    @Test
    void fullJsonSpecParsesToTheSameSpecAsYaml() {
        assertThat(parser.parse(FULL_JSON)).isEqualTo(expectedFullSpec());
    }

    @Test
    void jsonIndentedWithTabsParses() {
        String json = "{\n\t\"name\": \"web-1\",\n\t\"image\": \"busybox\",\n\t\"env\": {\n\t\t\"A\": \"b\"\n\t}\n}\n";

        assertThat(parser.parse(json)).isEqualTo(WorkloadSpec.builder("web-1", "busybox").env("A", "b").build());
    }

    @Test
    void yamlFlowMappingAtTopLevelParses() {
        assertThat(parser.parse("{name: web-1, image: busybox, env: {A: b}}"))
                .isEqualTo(WorkloadSpec.builder("web-1", "busybox").env("A", "b").build());
    }

    @Test
    void yamlFlowMappingWithAnUnknownFieldNamesTheField() {
        var e = invalidSpec(() -> parser.parse("{name: web-1, image: busybox, memroy: 1Gi}"));

        assertThat(e.field()).isEqualTo("memroy");
        assertThat(e.getMessage()).startsWith("memroy: unknown field");
    }

    @Test
    void repeatedKeyIsRejectedInsteadOfSilentlyOverriding() {
        var yaml = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nenv: {A: b}\nenv: {C: d}\n"));
        var json = invalidSpec(() -> parser.parse("{\"name\": \"a\", \"name\": \"b\", \"image\": \"busybox\"}"));

        assertThat(yaml.getMessage()).startsWith("malformed spec at line 4").contains("Duplicate field 'env'");
        assertThat(json.getMessage()).contains("Duplicate field 'name'");
    }

    @Test
    void toJsonThenParseGivesAnEqualSpec() {
        WorkloadSpec spec = expectedFullSpec();

        assertThat(parser.parse(parser.toJson(spec))).isEqualTo(spec);
    }

    @Test
    void minimalSpecRoundTripsAndKeepsDefaults() {
        WorkloadSpec spec = WorkloadSpec.builder("a", "busybox").build();

        WorkloadSpec back = parser.parse(parser.toJson(spec));

        assertThat(back).isEqualTo(spec);
        assertThat(back.pullPolicy()).isEqualTo(PullPolicy.IF_NOT_PRESENT);
        assertThat(back.restart()).isEqualTo(RestartPolicy.NO);
        assertThat(back.command()).isNull();
    }

    @Test
    void otherReadinessProbeShapesParse() {
        String http = "name: a\nimage: busybox\nreadiness: {http: {port: 80, path: /healthz}}\n";
        String log = "name: a\nimage: busybox\nreadiness: {log: 'listening on \\d+'}\n";
        String exec = "name: a\nimage: busybox\nreadiness: {exec: [cat, /tmp/ready], timeout: 500ms}\n";

        assertThat(parser.parse(http).readiness().http()).isEqualTo(new HttpProbe(80, "/healthz"));
        assertThat(parser.parse(log).readiness().log()).isEqualTo("listening on \\d+");
        assertThat(parser.parse(exec).readiness().exec()).containsExactly("cat", "/tmp/ready");
        assertThat(parser.parse(exec).readiness().timeoutDuration()).hasMillis(500);
    }

    @Test
    void restartPolicyNoIsReadAsTheWordNotAsYamlFalse() {
        WorkloadSpec spec = parser.parse("name: a\nimage: busybox\nrestart: {policy: no}\n");

        assertThat(spec.restart().policy()).isEqualTo(RestartMode.NO);
    }

    @Test
    void unknownTopLevelFieldIsRejectedNamingItAndTheAllowedFields() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nimagePullPolicy: Always\n"));

        assertThat(e.field()).isEqualTo("imagePullPolicy");
        assertThat(e.getMessage()).startsWith("imagePullPolicy: unknown field")
                .contains("pullPolicy", "image", "readiness", "capabilities");
    }

    @Test
    void unknownNestedFieldIsRejectedNamingItsPath() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nresources: {memroy: 1Gi}\n"));

        assertThat(e.field()).isEqualTo("resources.memroy");
        assertThat(e.getMessage()).startsWith("resources.memroy: unknown field")
                .contains("allowed fields here: cpus, memory, pids");
    }

    @Test
    void unknownFieldInsideAListItemNamesTheIndex() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nports: [{containerPort: 80, hostport: 8080}]\n"));

        assertThat(e.field()).isEqualTo("ports[0].hostport");
        assertThat(e.getMessage()).contains("containerPort", "hostPort", "protocol", "hostIp");
    }

    @Test
    void portsGivenAsANumberIsAWrongTypeNamingPorts() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nports: 8080\n"));

        assertThat(e.field()).isEqualTo("ports");
        assertThat(e.getMessage()).isEqualTo("ports: wrong type; expected a list");
    }

    @Test
    void envGivenAsAListIsAWrongTypeNamingEnv() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nenv: [a]\n"));

        assertThat(e.field()).isEqualTo("env");
        assertThat(e.getMessage()).isEqualTo("env: wrong type; expected an object");
    }

    @Test
    void keepAliveThatIsNotABooleanIsRejectedWithTheValue() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nkeepAlive: \"maybe\"\n"));

        assertThat(e.field()).isEqualTo("keepAlive");
        assertThat(e.getMessage()).contains("keepAlive", "'maybe'", "true or false");
    }

    @Test
    void containerPortThatIsNotANumberIsRejectedNamingThePath() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nports: [{containerPort: http}]\n"));

        assertThat(e.field()).isEqualTo("ports[0].containerPort");
        assertThat(e.getMessage()).contains("'http'", "a whole number");
    }

    @Test
    void malformedYamlReportsLineAndColumn() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nenv: {A: b\nlabels: x\n"));

        assertThat(e.getMessage()).isEqualTo("malformed spec at line 4, column 7: expected ',' or '}', but got :");
    }

    @Test
    void malformedJsonReportsLineAndColumn() {
        var e = invalidSpec(() -> parser.parse("{\n  \"name\": \"a\",\n  \"image\": \"busybox\",,\n}\n"));

        assertThat(e.getMessage()).startsWith("malformed spec at line 3, column 22: Unexpected character (',' (code 44))");
    }

    @Test
    void tabIndentedYamlPointsAtTheTab() {
        var e = invalidSpec(() -> parser.parse("name: a\n\timage: busybox\n"));

        assertThat(e.getMessage()).startsWith("malformed spec at line 2, column 1: found character '\\t(TAB)'");
    }

    @Test
    void emptyTextIsRejectedWithAClearMessage() {
        assertThat(invalidSpec(() -> parser.parse("")).getMessage()).startsWith("spec is empty");
        assertThat(invalidSpec(() -> parser.parse("  \n\t\n")).getMessage()).startsWith("spec is empty");
    }

    @Test
    void documentWithOnlyACommentIsReportedAsEmpty() {
        assertThat(invalidSpec(() -> parser.parse("# nothing here\n")).getMessage()).startsWith("spec is empty");
        assertThat(invalidSpec(() -> parser.parse("---\n")).getMessage()).startsWith("spec is empty");
        assertThat(invalidSpec(() -> parser.parse("~\n")).getMessage()).startsWith("spec is empty");
    }

    @Test
    void specThatIsNotAnObjectIsRejected() {
        var e = invalidSpec(() -> parser.parse("- name: a\n"));

        assertThat(e.getMessage()).startsWith("spec: wrong type; expected an object");
    }

    @Test
    void missingImageIsRejectedNamingImage() {
        var e = invalidSpec(() -> parser.parse("name: a\n"));

        assertThat(e.field()).isEqualTo("image");
        assertThat(e.getMessage()).contains("required");
    }

    @Test
    void unknownPullPolicyListsTheAllowedValues() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\npullPolicy: Sometimes\n"));

        assertThat(e.field()).isEqualTo("pullPolicy");
        assertThat(e.getMessage()).contains("'Sometimes'", "Always, IfNotPresent, Never");
    }

    @Test
    void unknownRestartPolicyListsTheAllowedValues() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nrestart: {policy: sometimes}\n"));

        assertThat(e.field()).isEqualTo("restart.policy");
        assertThat(e.getMessage()).contains("'sometimes'", "no, on-failure, always, unless-stopped");
    }

    @Test
    void unknownPortProtocolListsTheAllowedValues() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nports: [{containerPort: 80, protocol: icmp}]\n"));

        assertThat(e.field()).startsWith("ports[");
        assertThat(e.getMessage()).contains("protocol", "'icmp'", "tcp, udp, sctp");
    }

    @Test
    void enumValuesAreCaseInsensitive() {
        WorkloadSpec spec = parser.parse("name: a\nimage: busybox\npullPolicy: never\nbackend: Docker\nisolation: SANDBOX\n");

        assertThat(spec.pullPolicy()).isEqualTo(PullPolicy.NEVER);
        assertThat(spec.backend()).isEqualTo(BackendKind.DOCKER);
        assertThat(spec.isolation()).isEqualTo(Isolation.SANDBOX);
    }

    @Test
    void ulimitWithAnUnknownKeyIsRejected() {
        var e = invalidSpec(() -> parser.parse("name: a\nimage: busybox\nulimits: {nofile: {soft: 1, max: 2}}\n"));

        assertThat(e.getMessage()).contains("ulimits", "{soft: N, hard: M}");
    }

    @Test
    void ruleViolationsFoundAfterParsingNameTheField() {
        var e = invalidSpec(() -> parser.parse("name: Web\nimage: busybox\n"));

        assertThat(e.field()).isEqualTo("name");
        assertThat(e.getMessage()).contains("'Web'");
    }

    @Test
    void envValuesKeepTheirTextExactly() {
        WorkloadSpec spec = parser.parse("name: a\nimage: busybox\nenv: {Q: 'say \"hi\" $(id)', N: 42, B: true}\n");

        assertThat(spec.env()).isEqualTo(Map.of("Q", "say \"hi\" $(id)", "N", "42", "B", "true"));
    }
}
