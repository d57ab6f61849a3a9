package dev.berth.api.spec;

import static dev.berth.api.spec.Rejections.invalidSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadSpecValidationTest {
    private static final String DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static WorkloadSpec.Builder spec() {
        return WorkloadSpec.builder("web-1", "busybox");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web-1", "a", "0", "a1-b2"})
    void nameAcceptsDnsLabels(String name) {
        assertThat(WorkloadSpec.builder(name, "busybox").build().name()).isEqualTo(name);
    }

    @Test
    void nameAcceptsSixtyThreeCharacters() {
        String name = "a".repeat(63);

        assertThat(WorkloadSpec.builder(name, "busybox").build().name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Web", "-a", "a-", "a_b", "", "a.b", "web 1"})
    void nameRejectsAnythingButADnsLabel(String name) {
        var e = invalidSpec(() -> WorkloadSpec.builder(name, "busybox").build());

        assertThat(e.field()).isEqualTo("name");
        assertThat(e.getMessage()).startsWith("name: invalid value '" + name + "'")
                .contains("1-63 lowercase letters, digits and '-'");
    }

    @Test
    void nameRejectsSixtyFourCharacters() {
        var e = invalidSpec(() -> WorkloadSpec.builder("a".repeat(64), "busybox").build());

        assertThat(e.field()).isEqualTo("name");
    }

    @Test
    void nameIsRequired() {
        assertThat(invalidSpec(() -> WorkloadSpec.builder(null, "busybox").build()).field()).isEqualTo("name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "busybox:1.36", "127.0.0.1:5000/app:1.2", "localhost:5000/a/b@" + DIGEST,
        "registry.example.com/team/app", "[::1]:5000/app:v1"})
    void imageAcceptsReferences(String image) {
        assertThat(WorkloadSpec.builder("a", image).build().image()).isEqualTo(image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UPPER", "a b", ":tag", "", " busybox", "app:", "app@sha256:xyz", "app:-tag"})
    void imageRejectsMalformedReferences(String image) {
        var e = invalidSpec(() -> WorkloadSpec.builder("a", image).build());

        assertThat(e.field()).isEqualTo("image");
        assertThat(e.getMessage()).startsWith("image: invalid value '" + image + "'")
                .contains("127.0.0.1:5000/app:1.2");
    }

    @Test
    void imageIsRequired() {
        var e = invalidSpec(() -> WorkloadSpec.builder("a", null).build());

        assertThat(e.field()).isEqualTo("image");
        assertThat(e.getMessage()).contains("required");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65536, -1})
    void containerPortOutsideOneTo65535IsRejected(int port) {
        var e = invalidSpec(() -> spec().port(port).build());

        assertThat(e.field()).isEqualTo("ports[0].containerPort");
        assertThat(e.getMessage()).contains(String.valueOf(port), "1-65535");
    }

    @Test
    void containerPortBoundsAreAccepted() {
        assertThatCode(() -> spec().port(1).port(65535).build()).doesNotThrowAnyException();
    }

    @Test
    void duplicateContainerPortIsRejectedNamingTheSecond() {
        var e = invalidSpec(() -> spec().port(80).port(new PortMapping(80, 8080, Protocol.TCP, null)).build());

        assertThat(e.field()).isEqualTo("ports[1].containerPort");
        assertThat(e.getMessage()).contains("published once");
    }

    @Test
    void sameContainerPortOnTwoProtocolsIsAllowed() {
        assertThatCode(() -> spec().port(53).port(new PortMapping(53, 0, Protocol.UDP, null)).build())
                .doesNotThrowAnyException();
    }

    @Test
    void hostPortZeroMeansEphemeralAndMayRepeat() {
        WorkloadSpec s = spec().port(new PortMapping(80, 0, null, null)).port(new PortMapping(81, 0, null, null)).build();

        assertThat(s.ports()).extracting(PortMapping::hostPort).containsExactly(0, 0);
        assertThat(s.ports()).extracting(PortMapping::protocol).containsExactly(Protocol.TCP, Protocol.TCP);
    }

    @Test
    void hostPortOutOfRangeOrReusedIsRejected() {
        assertThat(invalidSpec(() -> spec().port(new PortMapping(80, 70000, null, null)).build()).field())
                .isEqualTo("ports[0].hostPort");
        var e = invalidSpec(() -> spec().port(new PortMapping(80, 8080, null, null))
                .port(new PortMapping(81, 8080, null, null)).build());
        assertThat(e.field()).isEqualTo("ports[1].hostPort");
        assertThat(e.getMessage()).contains("8080", "used once");
    }

    @Test
    void hostIpMustBeAnAddressNotAHostName() {
        var e = invalidSpec(() -> spec().port(new PortMapping(80, 0, null, "localhost")).build());

        assertThat(e.field()).isEqualTo("ports[0].hostIp");
        assertThat(e.getMessage()).contains("'localhost'", "IPv4 or IPv6");
        assertThatCode(() -> spec().port(new PortMapping(80, 0, null, "::1")).build()).doesNotThrowAnyException();
    }

    @Test
    void memoryAcceptsBinaryDecimalAndDockerStyleUnits() {
        assertThat(spec().resources(null, "256Mi", null).build().resources().memoryBytes()).isEqualTo(268_435_456L);
        assertThat(spec().resources(null, "1G", null).build().resources().memoryBytes()).isEqualTo(1_000_000_000L);
        assertThat(spec().resources(null, "512m", null).build().resources().memoryBytes()).isEqualTo(512L << 20);
        assertThat(spec().resources(null, "2g", null).build().resources().memoryBytes()).isEqualTo(2L << 30);
        assertThat(spec().resources(null, "1.5Gi", null).build().resources().memoryBytes()).isEqualTo(3L << 29);
    }

    @Test
    void memoryWithAnUnknownUnitIsRejectedListingTheUnits() {
        var e = invalidSpec(() -> spec().resources(null, "12XB", null).build());

        assertThat(e.field()).isEqualTo("resources.memory");
        assertThat(e.getMessage()).contains("'12XB'", "Ki, Mi, Gi, Ti", "K, M, G, T", "k, m, g");
    }

    @Test
    void memoryBelowOneMebibyteIsRejected() {
        var e = invalidSpec(() -> spec().resources(null, "512Ki", null).build());

        assertThat(e.field()).isEqualTo("resources.memory");
        assertThat(e.getMessage()).contains("at least 1Mi");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, 2000})
    void cpusMustBePositiveAndBounded(double cpus) {
        var e = invalidSpec(() -> spec().resources(cpus, null, null).build());

        assertThat(e.field()).isEqualTo("resources.cpus");
        assertThat(e.getMessage()).contains("greater than 0");
    }

    @Test
    void fractionalCpusAreAccepted() {
        assertThat(spec().resources(0.25, null, null).build().resources().cpus()).isEqualTo(0.25);
    }

    @Test
    void pidsMustBePositive() {
        assertThat(invalidSpec(() -> spec().resources(null, null, 0).build()).field()).isEqualTo("resources.pids");
    }

    @Test
    void envKeyWithEqualsSignIsRejected() {
        var e = invalidSpec(() -> spec().env("A=B", "c").build());

        assertThat(e.field()).isEqualTo("env");
        assertThat(e.getMessage()).contains("'A=B'", "without '='");
    }

    @Test
    void envValuesWithSpacesQuotesAndShellSyntaxAreKeptUnchanged() {
        String value = "it's \"quoted\" $(rm -rf /) `id` ; a b";

        assertThat(spec().env("V", value).env("EMPTY", "").build().env())
                .containsEntry("V", value).containsEntry("EMPTY", "");
    }

    @Test
    void envValueWithNulIsRejectedNamingTheKey() {
        var e = invalidSpec(() -> spec().env("V", "a\0b").build());

        assertThat(e.field()).isEqualTo("env.V");
        assertThat(e.getMessage()).contains("NUL");
    }

    @Test
    void labelsWithTheReservedPrefixAreRejected() {
        var e = invalidSpec(() -> spec().label("dev.berth.owner", "me").build());

        assertThat(e.field()).isEqualTo("labels");
        assertThat(e.getMessage()).contains("'dev.berth.owner'", "reserved");
        assertThatCode(() -> spec().label("team", "payments").label("berth.dev/x", "y").build()).doesNotThrowAnyException();
    }

    @Test
    void unknownUlimitIsRejectedListingTheKnownOnes() {
        var e = invalidSpec(() -> spec().ulimit("openfiles", 10, 10).build());

        assertThat(e.field()).isEqualTo("ulimits");
        assertThat(e.getMessage()).contains("'openfiles'", "nofile", "nproc", "memlock");
    }

    @Test
    void ulimitSoftAboveHardIsRejected() {
        var e = invalidSpec(() -> spec().ulimit("nofile", 2048, 1024).build());

        assertThat(e.field()).isEqualTo("ulimits.nofile");
        assertThat(e.getMessage()).contains("2048:1024", "soft <= hard");
    }

    @Test
    void ulimitMinusOneMeansUnlimited() {
        assertThat(spec().ulimit("memlock", -1, -1).ulimit("nofile", 1024, -1).build().ulimits())
                .containsEntry("memlock", new Ulimit(-1, -1));
    }

    @Test
    void capabilityNamesAreNormalised() {
        WorkloadSpec s = spec().capabilities(List.of("cap_net_admin", "CAP_SYS_PTRACE", " chown "), List.of("all")).build();

        assertThat(s.capabilities().add()).containsExactly("NET_ADMIN", "SYS_PTRACE", "CHOWN");
        assertThat(s.capabilities().drop()).containsExactly("ALL");
    }

    @Test
    void unknownCapabilityIsRejectedNamingItsPosition() {
        var e = invalidSpec(() -> spec().capabilities(List.of("NET_ADMIN"), List.of("CHOWN", "cap_fly")).build());

        assertThat(e.field()).isEqualTo("capabilities.drop[1]");
        assertThat(e.getMessage()).contains("'FLY'", "NET_ADMIN");
    }

    @Test
    void readinessNeedsExactlyOneProbe() {
        var none = invalidSpec(() -> spec().readiness(new Readiness(null, null, null, null, "5s")).build());
        var two = invalidSpec(() -> spec().readiness(new Readiness(80, new HttpProbe(80, "/"), null, null, null)).build());

        assertThat(none.field()).isEqualTo("readiness");
        assertThat(none.getMessage()).contains("0 probes", "exactly one of tcp, http, log, exec");
        assertThat(two.getMessage()).contains("2 probes");
    }

    @Test
    void readinessProbeDetailsAreChecked() {
        assertThat(invalidSpec(() -> spec().readiness(new Readiness(null, new HttpProbe(80, "health"), null, null, null))
                .build()).field()).isEqualTo("readiness.http.path");
        assertThat(invalidSpec(() -> spec().readiness(new Readiness(null, null, "([", null, null)).build()).field())
                .isEqualTo("readiness.log");
        assertThat(invalidSpec(() -> spec().readiness(new Readiness(null, null, null, List.of(), null)).build()).field())
                .isEqualTo("readiness.exec");
        var timeout = invalidSpec(() -> spec().readiness(new Readiness(80, null, null, null, "soon")).build());
        assertThat(timeout.field()).isEqualTo("readiness.timeout");
        assertThat(timeout.getMessage()).contains("'soon'", "500ms");
    }

    @Test
    void restartMaxRetriesOnlyWithOnFailure() {
        var e = invalidSpec(() -> spec().restart(RestartMode.ALWAYS, 3).build());

        assertThat(e.field()).isEqualTo("restart.maxRetries");
        assertThat(e.getMessage()).contains("on-failure");
        assertThat(spec().restart(RestartMode.ON_FAILURE, 3).build().restart()).isEqualTo(new RestartPolicy(RestartMode.ON_FAILURE, 3));
    }

    @Test
    void autoRemoveExcludesARestartPolicyAndIsReadFromYaml() {
        var e = invalidSpec(() -> spec().autoRemove(true).restart(RestartMode.ON_FAILURE, 0).build());

        assertThat(e.field()).isEqualTo("autoRemove");
        assertThat(e.getMessage()).contains("restart policy on-failure");
        assertThat(spec().autoRemove(true).build().autoRemove()).isTrue();
        assertThat(spec().build().autoRemove()).isFalse();
        assertThat(new SpecParser().parse("name: job\nimage: busybox\nautoRemove: true\n").autoRemove()).isTrue();
    }

    @Test
    void restartMaxRetriesCannotBeNegative() {
        assertThat(invalidSpec(() -> spec().restart(RestartMode.ON_FAILURE, -1).build()).field()).isEqualTo("restart.maxRetries");
    }

    @ParameterizedTest
    @ValueSource(strings = {"srv", "./srv", "/srv/../etc", ""})
    void workingDirMustBeAnAbsolutePathWithoutDotDot(String dir) {
        var e = invalidSpec(() -> spec().workingDir(dir).build());

        assertThat(e.field()).isEqualTo("workingDir");
        assertThat(e.getMessage()).contains("absolute path");
    }

    @Test
    void tmpfsModeMustBeOctal() {
        var e = invalidSpec(() -> spec().tmpfs(new TmpfsMount("/tmp", "64Mi", false, "0999")).build());

        assertThat(e.field()).isEqualTo("tmpfs[0].mode");
        assertThat(e.getMessage()).contains("'0999'", "octal");
        assertThatCode(() -> spec().tmpfs(new TmpfsMount("/tmp", null, null, "1777")).build()).doesNotThrowAnyException();
    }

    @Test
    void tmpfsSizeUsesSizeUnitsAndNamesTheMount() {
        var e = invalidSpec(() -> spec().tmpfs(new TmpfsMount("/a", null, null, null))
                .tmpfs(new TmpfsMount("/b", "lots", null, null)).build());

        assertThat(e.field()).isEqualTo("tmpfs[1].size");
    }

    @Test
    void volumesNeedValidNamesAndDistinctAbsoluteMountPaths() {
        assertThat(invalidSpec(() -> spec().volume(new VolumeMount("Data", "/data", null, null, null)).build()).field())
                .isEqualTo("volumes[0].name");
        assertThat(invalidSpec(() -> spec().volume(new VolumeMount("data", "data", null, null, null)).build()).field())
                .isEqualTo("volumes[0].mountPath");
        assertThat(invalidSpec(() -> spec().volume(new VolumeMount("a", "/d", null, null, null))
                .volume(new VolumeMount("b", "/d", null, null, null)).build()).field()).isEqualTo("volumes[1].mountPath");
    }

    @Test
    void filesNeedAnAbsoluteTargetAndAnArchive() {
        assertThat(invalidSpec(() -> spec().file("var/task", "code.zip").build()).field()).isEqualTo("files[0].path");
        assertThat(invalidSpec(() -> spec().file("/var/task", " ").build()).field()).isEqualTo("files[0].archive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "none", "bridge", "default"})
    void reservedNetworkNamesAreRejected(String network) {
        var e = invalidSpec(() -> spec().network(network).build());

        assertThat(e.field()).startsWith("networks");
        assertThat(e.getMessage()).contains("'" + network + "'", "reserved");
    }

    @Test
    void networkNamesMustBeDnsLabelsAndDistinct() {
        assertThat(invalidSpec(() -> spec().network("subnet_a").build()).field()).isEqualTo("networks[0]");
        assertThat(invalidSpec(() -> spec().network("a").network("a").build()).field()).isEqualTo("networks[1]");
    }

    @Test
    void userDataUpTo16KiBIsAcceptedAndLargerIsRejected() {
        assertThat(spec().userData("x".repeat(16 * 1024)).build().userData()).hasSize(16 * 1024);

        var e = invalidSpec(() -> spec().userData("x".repeat(16 * 1024 + 1)).build());

        assertThat(e.field()).isEqualTo("userData");
        assertThat(e.getMessage()).contains("16385 characters", "at most 16384");
    }

    @Test
    void userMustBeUserOrUserColonGroup() {
        assertThat(spec().user("1000:1000").build().user()).isEqualTo("1000:1000");
        assertThat(invalidSpec(() -> spec().user("root:wheel:x").build()).field()).isEqualTo("user");
    }

    @Test
    void sysctlKeysMustBeDottedParameters() {
        var e = invalidSpec(() -> spec().sysctl("forward", "1").build());

        assertThat(e.field()).isEqualTo("sysctls");
        assertThat(e.getMessage()).contains("'forward'", "net.ipv4.ip_forward");
    }

    @Test
    void commandArgumentsWithNulAreRejectedNamingTheIndex() {
        assertThat(invalidSpec(() -> spec().command("/bin/sh", "-c", "a\0b").build()).field()).isEqualTo("command[2]");
    }

    @Test
    void toBuilderCopiesEveryField() {
        WorkloadSpec s = spec().runtime("crun").env("A", "1").port(80).network("net-a").label("k", "v")
                .ulimit("nofile", 10, 20).capabilities(List.of("NET_RAW"), List.of()).keepAlive(true)
                .restart(RestartMode.ON_FAILURE, 2).readOnlyRootfs(true).build();

        assertThat(s.toBuilder().build()).isEqualTo(s);
    }

    @Test
    void specCollectionsAreImmutable() {
        WorkloadSpec s = spec().env("A", "1").port(80).build();

        assertThat(s.env()).isUnmodifiable();
        assertThat(s.ports()).isUnmodifiable();
    }
}
