package dev.berth.api.model;

import java.util.List;
import java.util.Map;

/** A command to run inside a running workload. argv is passed as is: no shell is involved. */
public record ExecRequest(List<String> argv, Map<String, String> env, String user, String workingDir,
                          boolean tty, boolean stdin) {
    public ExecRequest {
        argv = List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static ExecRequest of(String... argv) {
        return new ExecRequest(List.of(argv), Map.of(), null, null, false, false);
    }

    public ExecRequest withEnv(Map<String, String> value) {
        return new ExecRequest(argv, value, user, workingDir, tty, stdin);
    }

    public ExecRequest withUser(String value) {
        return new ExecRequest(argv, env, value, workingDir, tty, stdin);
    }

    public ExecRequest withWorkingDir(String value) {
        return new ExecRequest(argv, env, user, value, tty, stdin);
    }

    public ExecRequest withStdin(boolean value) {
        return new ExecRequest(argv, env, user, workingDir, tty, value);
    }

    public ExecRequest withTty(boolean value) {
        return new ExecRequest(argv, env, user, workingDir, value, stdin);
    }
}
