package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsOnceTheConditionHolds() {
        var calls = new AtomicInteger();

        Await.until(Duration.ofSeconds(5), () -> calls.incrementAndGet() >= 3, "three calls");

        assertThat(calls).hasValue(3);
    }

    @Test
    void failsNamingWhatItWaitedForOnceTheTimeoutPasses() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> Await.until(Duration.ofMillis(300), () -> false, "the moon to turn blue"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the moon to turn blue")
                .hasMessageContaining("300 ms");

        var took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(300).plus(Await.MAX_PAUSE).plusMillis(300));
    }

    @Test
    void backsOffExponentiallyUpToTheCap() {
        var calls = new AtomicInteger();

        assertThatThrownBy(() -> Await.until(Duration.ofSeconds(1), () -> calls.incrementAndGet() < 0, "never"))
                .isInstanceOf(AssertionError.class);

        // 10+20+40+80+160 ms, then 200 ms steps: about 9 calls in a second; never a busy loop,
        // never fewer than the capped pause allows.
        assertThat(calls.get()).isBetween(6, 14);
    }

    @Test
    void exceptionsCountAsNotYetAndAreReportedAsTheCause() {
        var calls = new AtomicInteger();

        assertThat(Await.value(Duration.ofSeconds(5), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not listening yet");
            }
            return Optional.of("answer");
        }, "an answer")).isEqualTo("answer");

        assertThatThrownBy(() -> Await.until(Duration.ofMillis(100), () -> {
            throw new IllegalStateException("connection refused");
        }, "a connection"))
                .hasMessageContaining("a connection")
                .hasMessageContaining("connection refused")
                .hasCauseInstanceOf(IllegalStateException.class);
    }
}
