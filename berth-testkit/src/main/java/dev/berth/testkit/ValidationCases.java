package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.api.spi.SpecField;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Specs the engine must refuse without creating anything, and the labels it must attach. */
public interface ValidationCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();

    /** The spec fields the backend under test must reject as unsupported. */
    Set<SpecField> unsupportedFields();



    @ParameterizedTest
    @ValueSource(strings = {"Bad_Name", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "-x"})
    default void invalidNamesAreRejectedNamingTheFieldAndNothingIsCreated(String badName) {
        var before = kit().workloadNames();
        var valid = kit().busybox("valid", "true").build();

        var fromBuilder = kit().expectError(ErrorCode.INVALID_SPEC, () -> valid.toBuilder().name(badName).build());
        assertThat(fromBuilder.field()).isEqualTo("name");
        // A spec that never went through the builder (as from a client that skips validation).
        var fromEngine = kit().expectError(ErrorCode.INVALID_SPEC, () -> kit().berth().create(Specs.withName(valid, badName)));
        assertThat(fromEngine.field()).isEqualTo("name");
        assertThat(fromEngine.getMessage()).contains(badName);

        assertThat(kit().workloadNames()).isEqualTo(before);
    }

    @Test
    default void nameInUseIsRejectedAndTheFirstWorkloadIsUntouched() {
        var first = kit().runIdle(kit().busybox("taken"));
        var original = kit().berth().inspect(first.name());
        var second = WorkloadSpec.builder(first.name(), TestImages.ENTRYPOINT).build();

        var error = kit().expectError(ErrorCode.NAME_IN_USE, () -> kit().berth().create(second));
        assertThat(error.getMessage()).contains(first.name());
        kit().expectError(ErrorCode.NAME_IN_USE, () -> kit().berth().run(second));

        var now = kit().berth().inspect(first.name());
        assertThat(now.state()).isIn(WorkloadState.RUNNING, WorkloadState.READY);
        assertThat(now.handle()).isEqualTo(original.handle());
        assertThat(now.image()).isEqualTo(original.image());
        assertThat(now.startedAt()).isEqualTo(original.startedAt());
        assertThat(now.generation()).isEqualTo(original.generation());
    }

    @TestFactory
    default Stream<DynamicTest> unsupportedFieldsAreRejectedNamingFieldAndBackend() {
        return unsupportedFields().stream().sorted().map(field -> DynamicTest.dynamicTest(field.path(), () -> {
            var before = kit().workloadNames();
            var spec = Specs.setting(field, kit().busybox("unsup-" + field.name().toLowerCase().replace('_', '-'), "true")).build();
            assertThat(field.isSetIn(spec)).as("the catalog sets %s", field.path()).isTrue();

            var error = kit().expectError(ErrorCode.UNSUPPORTED, () -> kit().berth().create(spec));

            assertThat(error.field()).isEqualTo(field.path());
            assertThat(error.getMessage()).contains(field.path()).contains(kit().backend());
            assertThat(kit().workloadNames()).isEqualTo(before);
        }));
    }

    @Test
    default void missingImageWithPullPolicyNeverIsImageNotFoundAndLeavesNothing() {
        var spec = kit().busybox("no-image", "true").image("berth-test/absent:never")
                .pullPolicy(PullPolicy.NEVER).build();

        var error = kit().expectError(ErrorCode.IMAGE_NOT_FOUND, () -> kit().berth().run(spec));

        assertThat(error.getMessage()).contains("berth-test/absent");
        kit().assertNoWorkload(spec.name());
    }

    @Test
    default void backendResourcesCarryOwnershipLabels() {
        var status = kit().runIdle(kit().busybox("owned").label("team", "conformance"));
        String owner = kit().berth().info().ownerId();
        assertThat(owner).as("ownerId").isNotBlank();

        var labels = kit().berth().inspect(status.name()).labels();

        assertThat(labels).containsEntry(OwnerLabels.OWNER, owner)
                .containsEntry(OwnerLabels.WORKLOAD, status.name())
                .containsEntry(OwnerLabels.GENERATION, Long.toString(kit().berth().inspect(status.name()).generation()))
                .containsEntry("team", "conformance");
    }
}
