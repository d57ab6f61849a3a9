package dev.berth.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.Isolation;
import dev.berth.api.spec.VolumeMount;
import dev.berth.api.spec.WorkloadSpec;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    private final Capabilities docker = new Capabilities(
            Map.of(SpecField.VOLUME_ENCRYPTED, "LUKS volumes need the oci backend",
                    SpecField.ISOLATION_SANDBOX, "runsc is not configured"),
            Set.of(Capabilities.Feature.EXEC_TTY));

    @Test
    void specSettingAnUnsupportedFieldIsRejectedNamingFieldAndBackend() {
        WorkloadSpec spec = WorkloadSpec.builder("a", "busybox")
                .volume(new VolumeMount("data", "/data", null, true, null)).build();

        BerthException e = catchThrowableOfType(BerthException.class, () -> docker.check(spec, "docker"));

        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(e.field()).isEqualTo("volumes[].encrypted");
        assertThat(e.getMessage()).isEqualTo(
                "volumes[].encrypted: not supported by backend 'docker' (LUKS volumes need the oci backend)");
    }

    @Test
    void unsupportedValueIsRejectedOnlyWhenThatValueIsChosen() {
        WorkloadSpec sandboxed = WorkloadSpec.builder("a", "busybox").isolation(Isolation.SANDBOX).build();
        WorkloadSpec plain = WorkloadSpec.builder("a", "busybox").isolation(Isolation.DEFAULT).build();

        assertThat(catchThrowableOfType(BerthException.class, () -> docker.check(sandboxed, "docker")).field())
                .isEqualTo("isolation");
        assertThatCode(() -> docker.check(plain, "docker")).doesNotThrowAnyException();
    }

    @Test
    void specLeavingUnsupportedFieldsUnsetIsAccepted() {
        WorkloadSpec spec = WorkloadSpec.builder("a", "busybox")
                .volume(new VolumeMount("data", "/data", "1Gi", false, null)).build();

        assertThatCode(() -> docker.check(spec, "docker")).doesNotThrowAnyException();
    }

    @Test
    void everySpecFieldIsUnsetInAMinimalSpec() {
        WorkloadSpec minimal = WorkloadSpec.builder("a", "busybox").build();

        assertThat(SpecField.values()).allSatisfy(f -> assertThat(f.isSetIn(minimal)).as(f.path()).isFalse());
    }

    @Test
    void supportsAndHasReflectTheDeclaration() {
        assertThat(docker.supports(SpecField.VOLUME_ENCRYPTED)).isFalse();
        assertThat(docker.supports(SpecField.VOLUMES)).isTrue();
        assertThat(docker.has(Capabilities.Feature.EXEC_TTY)).isTrue();
        assertThat(docker.has(Capabilities.Feature.COPY_OUT)).isFalse();
    }
}
