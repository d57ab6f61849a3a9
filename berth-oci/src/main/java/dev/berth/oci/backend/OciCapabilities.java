package dev.berth.oci.backend;

import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Capabilities;
import dev.berth.api.spi.SpecField;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What the OCI backend honours per runtime, and what is degraded. Restart policies are enforced
 * by the engine for this backend, so {@link Capabilities.Feature#RESTART_POLICY} is never declared.
 */
final class OciCapabilities {
    static final String HOST_ALIAS = "host.berth.internal";

    private final boolean sandbox;
    private final boolean fabric;
    private final String fabricError;
    /** The transport's description when it reaches another host, else null. */
    private final String remote;

    OciCapabilities(Runtimes runtimes, boolean fabric, String fabricError, String remote) {
        this.sandbox = runtimes.available("runsc");
        this.fabric = fabric;
        this.fabricError = fabricError;
        this.remote = remote;
    }

    Capabilities of(String runtime) {
        var unsupported = new LinkedHashMap<SpecField, String>();
        unsupported.put(SpecField.SECURITY_GROUPS, "security groups need Berth's firewall rules, which the network fabric does not offer yet");
        unsupported.put(SpecField.VOLUME_SIZE, "volumes are directories in the bundle and cannot be size-limited");
        unsupported.put(SpecField.VOLUME_ENCRYPTED, "encrypted (LUKS2) volumes are not implemented");
        unsupported.put(SpecField.USER_DATA, "the instance init (userData) is not implemented for the oci backend yet");
        unsupported.put(SpecField.KEEP_ALIVE, "the instance init (keepAlive) is not implemented for the oci backend yet");
        if (!fabric) {
            String why = "no network fabric (" + fabricError + ")";
            unsupported.put(SpecField.NETWORKS, why);
            unsupported.put(SpecField.PORTS, why);
            unsupported.put(SpecField.HOST_ACCESS, why);
        }
        if (!runtime.equals("runsc") && !sandbox) {
            unsupported.put(SpecField.ISOLATION_SANDBOX, "runsc (gVisor) is not installed: install the Debian package 'runsc'");
        }
        if (runtime.equals("runsc")) {
            unsupported.put(SpecField.SYSCTLS, "gVisor implements its own kernel and ignores most host sysctls");
        }
        var features = EnumSet.of(Capabilities.Feature.EXEC_STDIN, Capabilities.Feature.STATS_STREAM,
                Capabilities.Feature.RESTART_IN_PLACE, Capabilities.Feature.COPY_IN, Capabilities.Feature.COPY_OUT,
                Capabilities.Feature.IMAGE_IMPORT, Capabilities.Feature.IMAGE_PRUNE, Capabilities.Feature.PULL);
        if (fabric) {
            features.add(Capabilities.Feature.INTERNAL_NETWORKS);
            features.add(Capabilities.Feature.PUBLISHED_PORTS);
        }
        return new Capabilities(unsupported, features);
    }

    /** Rejects what the runtime this spec selects cannot honour (it may differ from the backend's default). */
    void check(WorkloadSpec spec, String backend, String runtime) {
        of(runtime).check(spec, backend);
    }

    List<String> degraded(String runtime) {
        var out = new ArrayList<String>();
        if (!fabric) {
            out.add("networking: no network fabric (" + fabricError + "); workloads get a loopback-only network namespace");
        }
        if (runtime.equals("runsc") && fabric) {
            out.add("runsc networking: the sandbox's sockets use the host kernel inside the workload's own network namespace"
                    + " (--network=host); gVisor 20221219's netstack refuses this kernel's namespaces; its hostinet"
                    + " blocking reads can fail with EAGAIN between two sandboxes (busybox wget)");
        }
        if (runtime.equals("runsc")) {
            out.add("seccomp: runsc (gVisor) filters system calls in its own kernel; the OCI seccomp profile is not applied");
        }
        if (remote != null) {
            out.add("rootfs over " + remote + ": each workload gets its own full copy of the image (flattened in this JVM's"
                    + " scratch dir, sent as one tar stream); overlay over shared layers needs Berth's image store on the"
                    + " target host; extended attributes (file capabilities) are not carried");
            out.add("waits over " + remote + ": no inotify across the transport; exit files and followed logs are polled"
                    + " through it with a bounded backoff (20 ms doubling to 500 ms), one round trip per look");
            out.add("copy-in over " + remote + ": the destination is resolved inside the rootfs on the target, but the"
                    + " entries below it are extracted by the target's GNU tar, which follows symlinks already there;"
                    + " copy only into directories that the image and the workload do not control");
        }
        return out;
    }
}
