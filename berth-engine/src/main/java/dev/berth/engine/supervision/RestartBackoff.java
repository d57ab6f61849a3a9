package dev.berth.engine.supervision;

import java.time.Duration;

/**
 * Docker's pause before a policy restart: 100 ms, doubling with each restart up to a minute,
 * and back to 100 ms once a run lasted 10 seconds. One instance paces one workload.
 */
final class RestartBackoff {
    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofMinutes(1);
    static final Duration STABLE_RUN = Duration.ofSeconds(10);

    private Duration next = FIRST;

    /** The pause before restarting a workload whose last run lasted {@code ran}. */
    Duration after(Duration ran) {
        if (ran.compareTo(STABLE_RUN) >= 0) {
            next = FIRST;
        }
        Duration pause = next;
        next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
        return pause;
    }
}
