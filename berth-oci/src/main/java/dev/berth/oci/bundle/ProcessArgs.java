package dev.berth.oci.bundle;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.image.store.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The process a workload runs: argv by Docker's ENTRYPOINT/CMD rule, env in layers, working dir. */
public final class ProcessArgs {
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ProcessArgs() {
    }

    /**
     * A spec {@code command} replaces the image ENTRYPOINT and drops the image CMD; spec {@code args}
     * replace the CMD. Nothing to run at all is an invalid spec naming both fields.
     */
    public static List<String> argv(WorkloadSpec spec, ImageConfig image) {
        var out = new ArrayList<String>(spec.command() != null ? spec.command() : image.entrypoint());
        if (spec.args() != null) {
            out.addAll(spec.args());
        } else if (spec.command() == null) {
            out.addAll(image.cmd());
        }
        if (out.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_SPEC, "command: the image " + spec.image()
                    + " has no ENTRYPOINT or CMD and the spec sets neither command nor args", "command", null);
        }
        return out;
    }

    /**
     * The image's env, then PATH and HOSTNAME when it has none, HOME from the user's passwd entry,
     * then {@code spec} (the engine's final env) over all of it. Order is kept, keys are unique.
     */
    public static List<String> env(ImageConfig image, Map<String, String> spec, String hostname, String home) {
        var env = new LinkedHashMap<String, String>();
        for (String kv : image.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        env.putIfAbsent("PATH", DEFAULT_PATH);
        env.putIfAbsent("HOSTNAME", hostname);
        if (home != null) {
            env.putIfAbsent("HOME", home);
        }
        env.putAll(spec);
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** The spec's working dir, else the image's, else the root. */
    public static String cwd(WorkloadSpec spec, ImageConfig image) {
        if (spec.workingDir() != null) {
            return spec.workingDir();
        }
        return image.workingDir().isEmpty() ? "/" : image.workingDir();
    }
}
