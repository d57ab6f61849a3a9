package dev.berth.docker.api;

import java.nio.charset.StandardCharsets;

/** Output and exit code of an exec that ran to completion. With a TTY everything is in stdout. */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}
