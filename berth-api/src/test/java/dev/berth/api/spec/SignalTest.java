package dev.berth.api.spec;

import static dev.berth.api.spec.Rejections.invalidSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignalTest {
    @ParameterizedTest
    @ValueSource(strings = {"TERM", "SIGTERM", "sigterm", "term", "15", " SIGTERM "})
    void termIsAcceptedByNameOrNumberInAnyCase(String value) {
        Signal s = Signal.parse(value);

        assertThat(s).isEqualTo(Signal.SIGTERM);
        assertThat(s.name()).isEqualTo("SIGTERM");
        assertThat(s.number()).isEqualTo(15);
        assertThat(s).hasToString("SIGTERM");
    }

    @Test
    void killIsNine() {
        assertThat(Signal.parse("KILL")).isEqualTo(new Signal("SIGKILL", 9)).isEqualTo(Signal.SIGKILL);
        assertThat(Signal.parse("9")).isEqualTo(Signal.SIGKILL);
    }

    @Test
    void realTimeSignalsAreNamedFromSigrtmin() {
        assertThat(Signal.parse("SIGRTMIN+3")).isEqualTo(new Signal("SIGRTMIN+3", 37));
        assertThat(Signal.parse("rtmin+3").number()).isEqualTo(37);
        assertThat(Signal.parse("34").name()).isEqualTo("SIGRTMIN");
        assertThat(Signal.parse("64").name()).isEqualTo("SIGRTMIN+30");
    }

    @Test
    void iotIsAnAliasOfAbort() {
        assertThat(Signal.parse("SIGIOT")).isEqualTo(new Signal("SIGABRT", 6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGFOO", "0", "65", "32", "33", "", "-9", "1000", "SIG", "15.0"})
    void unknownSignalsAreRejectedWithExamples(String value) {
        var e = invalidSpec(() -> Signal.parse(value));

        assertThat(e.field()).isEqualTo("signal");
        assertThat(e.getMessage()).startsWith("signal: invalid value '" + value + "'")
                .contains("SIGTERM", "SIGKILL", "a number from 1 to 64");
    }

    @Test
    void rejectionNamesTheCallersField() {
        assertThat(invalidSpec(() -> Signal.parse("stopSignal", "NOPE")).field()).isEqualTo("stopSignal");
    }

    @Test
    void aSignalCannotBeBuiltWithAMismatchedNameAndNumber() {
        invalidSpec(() -> new Signal("SIGTERM", 9));
    }

    @Test
    void exitCodeAbove128ReportsTheSignal() {
        ExitStatus killed = ExitStatus.ofCode(137);

        assertThat(killed.code()).isEqualTo(137);
        assertThat(killed.signal()).isEqualTo("SIGKILL");
        assertThat(killed.oomKilled()).isFalse();
        assertThat(ExitStatus.ofCode(143).signal()).isEqualTo("SIGTERM");
        assertThat(ExitStatus.ofCode(137, true).oomKilled()).isTrue();
    }

    @Test
    void plainExitCodesCarryNoSignal() {
        assertThat(ExitStatus.ofCode(42).signal()).isNull();
        assertThat(ExitStatus.ofCode(0).signal()).isNull();
        assertThat(ExitStatus.ofCode(128).signal()).isNull();
        assertThat(ExitStatus.ofCode(128 + 32).signal()).isNull();
        assertThat(ExitStatus.ofCode(255).signal()).isNull();
    }
}
