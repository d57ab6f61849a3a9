package dev.berth.oci.bundle;

import dev.berth.api.spec.WorkloadSpec;
import dev.berth.image.store.ImageConfig;
import java.util.List;
import java.util.Map;

/**
 * Everything config.json is made of, resolved: the spec and the engine's final env, the image
 * config, the numeric user, host paths of the rootfs, the generated /etc files and the volumes.
 *
 * @param netns       the network namespace to join, or null for a fresh one (loopback only)
 * @param etcFiles    container path (/etc/hosts, /etc/resolv.conf, /etc/hostname) to host file
 * @param volumes     host directory per volume, in the spec's order
 * @param nofileLimit the RLIMIT_NOFILE default: the host's hard limit, capped at Docker's 1048576
 */
public record BundleInputs(WorkloadSpec spec, Map<String, String> env, ImageConfig image, ResolvedUser user,
                           List<String> argv, String rootfs, String hostname, String netns, String cgroupsPath,
                           boolean seccomp, long nofileLimit, Map<String, String> annotations,
                           Map<String, String> etcFiles, List<String> volumes) {
    public BundleInputs {
        argv = List.copyOf(argv);
        annotations = Map.copyOf(annotations);
        etcFiles = Map.copyOf(etcFiles);
        volumes = List.copyOf(volumes);
    }
}
