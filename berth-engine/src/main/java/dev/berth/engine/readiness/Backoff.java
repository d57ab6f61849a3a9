package dev.berth.engine.readiness;

import java.time.Duration;

/**
 * The engine's one polling pace, for conditions no event announces (a port starting to listen):
 * pauses start at {@code first}, double up to {@code max}, and never run past the deadline. One
 * instance paces one wait.
 */
public final class Backoff {
    public static final Duration FIRST = Duration.ofMillis(50);
    public static final Duration MAX = Duration.ofSeconds(1);

    /** Time as the backoff sees it; tests pass a fake one. */
    public interface Ticker {
        long nanoTime();

        void sleep(long nanos) throws InterruptedException;

        static Ticker system() {
            return new Ticker() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public void sleep(long nanos) throws InterruptedException {
                    Thread.sleep(Duration.ofNanos(nanos));
                }
            };
        }
    }

    private final Ticker ticker;
    private final long deadline;
    private final long maxNanos;
    private long nextNanos;

    public Backoff(Duration timeout, Duration first, Duration max, Ticker ticker) {
        this.ticker = ticker;
        this.deadline = ticker.nanoTime() + timeout.toNanos();
        this.nextNanos = first.toNanos();
        this.maxNanos = max.toNanos();
    }

    public static Backoff until(Duration timeout) {
        return new Backoff(timeout, FIRST, MAX, Ticker.system());
    }

    /**
     * Sleeps the next pause (cut short at the deadline) and returns true, so the caller tries
     * once more; returns false without sleeping once the deadline has passed.
     */
    public boolean pause() throws InterruptedException {
        long left = deadline - ticker.nanoTime();
        if (left <= 0) {
            return false;
        }
        ticker.sleep(Math.min(nextNanos, left));
        nextNanos = Math.min(nextNanos * 2, maxNanos);
        return true;
    }
}
