package dev.berth.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place where the conformance kit polls. Use it only where no event or blocking call
 * exists (a server starting to listen, a log line appearing); the backoff starts at 10 ms,
 * doubles, and is capped at 200 ms, and every wait is bounded.
 */
public final class Await {
    static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    static final Duration MAX_PAUSE = Duration.ofMillis(200);

    private Await() {
    }

    /**
     * Returns once {@code condition} yields true; an exception from it counts as "not yet" and is
     * attached to the failure. Throws an AssertionError naming {@code what} after {@code timeout}.
     */
    public static void until(Duration timeout, Supplier<Boolean> condition, String what) {
        value(timeout, () -> Boolean.TRUE.equals(condition.get()) ? Optional.of(Boolean.TRUE) : Optional.empty(), what);
    }

    /**
     * Returns the first value {@code probe} yields, polling like {@link #until}; for conditions
     * whose result the test wants to inspect (a response body, an exec result).
     */
    public static <T> T value(Duration timeout, Supplier<Optional<T>> probe, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = FIRST_PAUSE.toMillis();
        RuntimeException lastError = null;
        while (true) {
            try {
                Optional<T> result = probe.get();
                if (result.isPresent()) {
                    return result.get();
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                var failure = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what
                        + (lastError == null ? "" : " (last error: " + lastError + ")"));
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            pause(Math.min(pauseMillis, Math.max(1, left / 1_000_000)));
            pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE.toMillis());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
