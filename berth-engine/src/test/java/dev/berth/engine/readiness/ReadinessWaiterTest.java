package dev.berth.engine.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spi.BackendStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadinessWaiterTest {
    private static final BackendStatus RUNNING = status(WorkloadState.RUNNING, null);

    /** A clock that only moves when the backoff sleeps, recording every pause. */
    private static final class FakeTicker implements Backoff.Ticker {
        long now;
        final List<Long> pausesMillis = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            pausesMillis.add(Duration.ofNanos(nanos).toMillis());
            now += nanos;
        }
    }

    private final FakeTicker ticker = new FakeTicker();
    private final ReadinessWaiter waiter = new ReadinessWaiter(t -> new Backoff(t, Backoff.FIRST, Backoff.MAX, ticker));

    @Test
    void pausesDoubleFromFiftyMillisAndAreCappedAtOneSecond() {
        waiter.await(s -> { throw new IOException("refused"); }, () -> RUNNING, Duration.ofSeconds(5));

        assertThat(ticker.pausesMillis).startsWith(50L, 100L, 200L, 400L, 800L, 1000L, 1000L);
        assertThat(ticker.pausesMillis).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(1000L));
    }

    @Test
    void readyAsSoonAsTheProbePasses() {
        var attempts = new AtomicInteger();

        var outcome = waiter.await(s -> {
            if (attempts.incrementAndGet() < 4) {
                throw new IOException("refused");
            }
        }, () -> RUNNING, Duration.ofSeconds(30));

        assertThat(outcome).isInstanceOf(ReadinessOutcome.Ready.class);
        assertThat(attempts).hasValue(4);
        assertThat(ticker.pausesMillis).containsExactly(50L, 100L, 200L);
    }

    @Test
    void timesOutAtTheDeadlineWithTheProbesLastError() {
        var attempts = new AtomicInteger();

        var outcome = waiter.await(s -> { throw new IOException("refused #" + attempts.incrementAndGet()); },
                () -> RUNNING, Duration.ofSeconds(2));

        assertThat(outcome).isInstanceOfSatisfying(ReadinessOutcome.TimedOut.class,
                t -> assertThat(t.lastError()).isEqualTo("refused #" + attempts.get()));
        assertThat(ticker.now).as("never sleeps past the deadline").isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(ticker.pausesMillis).containsExactly(50L, 100L, 200L, 400L, 800L, 450L);
    }

    @Test
    void aWorkloadThatExitsEndsTheWaitAtOnce() {
        var exited = status(WorkloadState.EXITED, new ExitStatus(3, null, false));
        var observations = new AtomicInteger();

        var outcome = waiter.await(s -> { throw new IOException("refused"); },
                () -> observations.incrementAndGet() < 3 ? RUNNING : exited, Duration.ofSeconds(30));

        assertThat(outcome).isInstanceOfSatisfying(ReadinessOutcome.Exited.class,
                e -> assertThat(e.status().exit().code()).isEqualTo(3));
        assertThat(ticker.pausesMillis).containsExactly(50L, 100L);
    }

    private static BackendStatus status(WorkloadState state, ExitStatus exit) {
        return new BackendStatus(state, exit, null, "10.0.0.2", null, null, null, null, 0, null);
    }
}
