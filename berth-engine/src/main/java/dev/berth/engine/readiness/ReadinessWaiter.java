package dev.berth.engine.readiness;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spi.BackendStatus;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Tries a probe with {@link Backoff} until it passes, the workload exits, or the timeout passes.
 * Each round first asks the backend for the workload's state, so an exited workload ends the wait
 * at once instead of after the timeout.
 */
public final class ReadinessWaiter {
    /**
     * How the message of a readiness verdict starts. A workload FAILED with such a message is
     * still running (a timed-out probe leaves it up for its logs).
     */
    public static final String FAILURE_PREFIX = "readiness: ";

    /** One attempt: returns when ready, throws the reason when not yet. */
    @FunctionalInterface
    public interface Check {
        void check(BackendStatus status) throws Exception;
    }

    private final Function<Duration, Backoff> backoff;

    public ReadinessWaiter(Function<Duration, Backoff> backoff) {
        this.backoff = backoff;
    }

    public static ReadinessWaiter standard() {
        return new ReadinessWaiter(Backoff::until);
    }

    public ReadinessOutcome await(Check probe, Supplier<BackendStatus> observe, Duration timeout) {
        Backoff pace = backoff.apply(timeout);
        String lastError = "not probed yet";
        try {
            while (true) {
                BackendStatus status = observe.get();
                if (status.state() == WorkloadState.EXITED || status.state() == WorkloadState.FAILED) {
                    return new ReadinessOutcome.Exited(status);
                }
                try {
                    probe.check(status);
                    return new ReadinessOutcome.Ready(status);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                }
                if (!pace.pause()) {
                    return new ReadinessOutcome.TimedOut(status, lastError);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCode.INTERNAL, "interrupted while waiting for readiness", e);
        }
    }
}
