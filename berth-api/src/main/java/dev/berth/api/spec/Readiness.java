package dev.berth.api.spec;

import java.time.Duration;
import java.util.List;

/** How to tell that a workload is ready: exactly one of tcp, http, log (a regex) or exec. */
public record Readiness(Integer tcp, HttpProbe http, String log, List<String> exec, String timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Readiness {
        exec = exec == null ? null : List.copyOf(exec);
    }

    public Duration timeoutDuration() {
        return timeout == null ? DEFAULT_TIMEOUT : Quantities.parseDuration("readiness.timeout", timeout);
    }
}
