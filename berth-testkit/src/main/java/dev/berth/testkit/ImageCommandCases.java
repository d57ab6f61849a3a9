package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.spec.WorkloadSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Docker's ENTRYPOINT/CMD rules, observed through what the process prints: {@code command}
 * replaces the image ENTRYPOINT (and drops the image CMD), {@code args} replace the image CMD.
 */
public interface ImageCommandCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();



    @Test
    default void imageEntrypointRunsWithImageCmdWhenTheSpecSetsNeither() {
        assertThat(output(entrypointImage("ep-default"))).containsExactly("from-entrypoint default-cmd");
    }

    @Test
    default void specArgsReplaceTheImageCmdAndKeepTheEntrypoint() {
        assertThat(output(entrypointImage("ep-args").args("new-arg", "two words")))
                .containsExactly("from-entrypoint new-arg two words");
    }

    @Test
    default void specCommandReplacesTheEntrypointAndDropsTheImageCmd() {
        assertThat(output(entrypointImage("ep-command").command("/bin/echo", "replaced")))
                .containsExactly("replaced");
    }

    @Test
    default void specCommandAndArgsRunTogether() {
        assertThat(output(entrypointImage("ep-both").command("/bin/echo", "cmd").args("arg")))
                .containsExactly("cmd arg");
    }

    @Test
    default void specArgsRunAsTheCommandWhenTheImageHasNoEntrypoint() {
        assertThat(output(kit().busybox("args-only").args("echo", "args-as-command"))).containsExactly("args-as-command");
    }

    private WorkloadSpec.Builder entrypointImage(String label) {
        return kit().busybox(label).image(TestImages.ENTRYPOINT);
    }

    private List<String> output(WorkloadSpec.Builder spec) {
        var built = spec.build();
        assertThat(kit().runToExit(built).code()).as("exit code").isZero();
        return kit().stdout(built.name());
    }
}
