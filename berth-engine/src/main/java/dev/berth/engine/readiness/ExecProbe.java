package dev.berth.engine.readiness;

import dev.berth.api.model.ExecRequest;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.Handle;
import java.util.List;

/** Ready once the command, run inside the workload, exits 0. */
record ExecProbe(List<String> argv, Backend backend, Handle handle) implements ReadinessProbe {
    private static final int MAX_OUTPUT = 200;

    @Override
    public String describe() {
        return "exec " + argv;
    }

    @Override
    public void check(BackendStatus status) throws Exception {
        var result = backend.exec(handle, new ExecRequest(argv, null, null, null, false, false));
        if (result.exitCode() != 0) {
            String output = (result.stderr() + result.stdout()).strip();
            throw new NotReady("exit code " + result.exitCode()
                    + (output.isEmpty() ? "" : ": " + output.substring(0, Math.min(output.length(), MAX_OUTPUT))));
        }
    }
}
