package dev.berth.net;

import java.time.Duration;
import java.util.List;

/**
 * Runs a program on the host the workloads live on: locally, or through berth-oci's ssh/wsl
 * transports. Arguments are an argv list, never a shell string; data travels on stdin.
 */
public interface HostCommands {
    /** Runs {@code argv} to completion with {@code stdin} (null = none); never throws for a non-zero exit. */
    Result run(List<String> argv, byte[] stdin, Duration timeout);

    default Result run(List<String> argv) {
        return run(argv, null, Duration.ofSeconds(30));
    }

    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
