package dev.berth.api.spec;

import static dev.berth.api.spec.Rejections.invalidSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {
    @Test
    void durationsAcceptMillisecondsSecondsMinutesAndHours() {
        assertThat(Quantities.parseDuration("t", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Quantities.parseDuration("t", "10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Quantities.parseDuration("t", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Quantities.parseDuration("t", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Quantities.parseDuration("t", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void plainNumberDurationIsSeconds() {
        assertThat(Quantities.parseDuration("t", "5")).isEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10x", "", "s", "-5s", "ten seconds", "1d"})
    void durationsWithUnknownUnitsAreRejectedNamingTheField(String value) {
        var e = invalidSpec(() -> Quantities.parseDuration("stop.timeout", value));

        assertThat(e.field()).isEqualTo("stop.timeout");
        assertThat(e.getMessage()).startsWith("stop.timeout: invalid value '" + value + "'")
                .contains("ms, s, m or h");
    }

    @Test
    void sizesUseBinaryDecimalAndDockerStyleUnits() {
        assertThat(Quantities.parseBytes("s", "256Mi")).isEqualTo(268_435_456L);
        assertThat(Quantities.parseBytes("s", "1G")).isEqualTo(1_000_000_000L);
        assertThat(Quantities.parseBytes("s", "512m")).isEqualTo(512L * 1024 * 1024);
        assertThat(Quantities.parseBytes("s", "4k")).isEqualTo(4096L);
        assertThat(Quantities.parseBytes("s", "100")).isEqualTo(100L);
        assertThat(Quantities.parseBytes("s", "2Ti")).isEqualTo(2L << 40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12XB", "1 GB", "Mi", "-1Mi", "0", "0.1"})
    void badSizesAreRejectedListingTheUnits(String value) {
        var e = invalidSpec(() -> Quantities.parseBytes("volumes[0].size", value));

        assertThat(e.field()).isEqualTo("volumes[0].size");
        assertThat(e.getMessage()).contains("'" + value + "'", "Ki, Mi, Gi, Ti");
    }

    @Test
    void bytesAreFormattedInTheLargestExactBinaryUnit() {
        assertThat(Quantities.formatBytes(256L << 20)).isEqualTo("256Mi");
        assertThat(Quantities.formatBytes(1L << 30)).isEqualTo("1Gi");
        assertThat(Quantities.formatBytes(1_000_000_000L)).isEqualTo("1000000000");
        assertThat(Quantities.formatBytes(1536L << 10)).isEqualTo("1536Ki");
    }
}
