package dev.berth.oci.runtime;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.util.List;
import java.util.Locale;

/**
 * What Berth knows about one OCI runtime CLI: where Debian installs it, which package provides
 * it, the global flags it needs on every call, and what it cannot do.
 *
 * @param globalArgs     flags placed before every subcommand (after {@code --root})
 * @param seccomp        whether config.json's seccomp profile is applied (runsc filters inside its own kernel)
 * @param needsNetnsPath whether the runtime needs network flags of its own ({@link #networkArgs})
 */
public record RuntimeProfile(String name, String defaultBinary, String debianPackage, List<String> globalArgs,
                             boolean seccomp, boolean needsNetnsPath) {
    public static final String DEFAULT = "runc";

    public RuntimeProfile {
        globalArgs = List.copyOf(globalArgs);
    }

    public static RuntimeProfile named(String name) {
        return switch (name == null ? DEFAULT : name.toLowerCase(Locale.ROOT)) {
            case "runc" -> new RuntimeProfile("runc", "/usr/sbin/runc", "runc", List.of(), true, false);
            case "crun" -> new RuntimeProfile("crun", "/usr/bin/crun", "crun", List.of(), true, false);
            case "youki" -> new RuntimeProfile("youki", "/usr/bin/youki", "youki", List.of(), true, false);
            // No KVM here and ptrace works everywhere; for its network flag see networkArgs.
            case "runsc" -> new RuntimeProfile("runsc", "/usr/bin/runsc", "runsc", List.of("--platform=ptrace"), false, true);
            default -> throw new BerthException(ErrorCode.INVALID_ARGUMENT, "runtime: invalid value '" + name
                    + "'; allowed: runc, crun, youki, runsc", "runtime", null);
        };
    }

    /**
     * runsc's network flag. The sandbox joins the workload's prepared namespace; there gVisor's own
     * netstack would copy the interfaces, but gVisor 20221219 refuses to ("cannot run with network
     * enabled in root network namespace"): it detects the root namespace by
     * /proc/sys/net/core/rmem_default, which newer kernels have in every namespace. So the
     * sandbox's sockets go to the host kernel inside that namespace ({@code --network=host}, i.e.
     * hostinet); without a prepared namespace there is no network at all.
     */
    public List<String> networkArgs(boolean netnsPrepared) {
        if (!needsNetnsPath) {
            return List.of();
        }
        return List.of(netnsPrepared ? "--network=host" : "--network=none");
    }

    /** Whether this is gVisor, which the spec's {@code isolation: sandbox} asks for. */
    public boolean isSandbox() {
        return name.equals("runsc");
    }
}
