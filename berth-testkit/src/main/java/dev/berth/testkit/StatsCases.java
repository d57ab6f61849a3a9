package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.Stats;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Resource usage samples of a running workload. */
public interface StatsCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();

    long MEMORY_LIMIT = 64L * 1024 * 1024; // the shared workload's 64Mi



    @Test
    default void statsReportMemoryInUseTheSpecLimitAndProcesses() {
        var stats = kit().berth().stats(kit().sharedIdle());

        assertThat(stats.memoryBytes()).as("memory in use").isPositive();
        assertThat(stats.memoryLimitBytes()).as("memory limit").isEqualTo(MEMORY_LIMIT);
        assertThat(stats.pids()).as("processes (sh and sleep)").isGreaterThanOrEqualTo(1);
        assertThat(stats.at()).isNotNull();
    }

    @Test
    default void statsReportNoMemoryLimitAsZero() {
        var status = kit().runIdle(kit().busybox("no-limit"));

        assertThat(kit().berth().stats(status.name()).memoryLimitBytes()).isZero();
    }

    @Test
    default void statsStreamYieldsSuccessiveSamples() {
        List<Stats> samples;
        try (Stream<Stats> stream = kit().berth().statsStream(kit().sharedIdle())) {
            samples = stream.limit(2).toList();
        }

        assertThat(samples).hasSize(2);
        assertThat(samples.get(1).at()).isAfter(samples.get(0).at());
        assertThat(samples).allSatisfy(s -> assertThat(s.memoryBytes()).isPositive());
    }
}
