package dev.berth.api.model;

import dev.berth.api.spec.Signal;

/**
 * How a workload's main process ended. A death by signal N reports code 128+N and the signal's
 * name, the same convention shells and Docker use.
 */
public record ExitStatus(int code, String signal, boolean oomKilled) {
    public static ExitStatus ofCode(int code, boolean oomKilled) {
        String signal = code > 128 && code <= 128 + 64 ? Signal.nameOf(code - 128) : null;
        return new ExitStatus(code, signal, oomKilled);
    }

    public static ExitStatus ofCode(int code) {
        return ofCode(code, false);
    }
}
