package dev.berth.oci.runtime;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.oci.transport.CommandTransport;
import dev.berth.oci.transport.HostFiles;
import java.nio.charset.StandardCharsets;

/** Host conditions a runtime cannot work under, found before a workload fails on them. */
final class HostSupport {
    static final String UNIFIED_CONTROLLERS = "/sys/fs/cgroup/unified/cgroup.controllers";

    private HostSupport() {
    }

    /**
     * crun refuses a cgroup v1 host in hybrid mode whose cgroup2 hierarchy has any controller
     * enabled ("cgroups in hybrid mode not supported, drop all controllers from cgroupv2"), even
     * with {@code --cgroup-manager=disabled}. Moving those controllers to v1 is a host change Berth
     * does not make on its own.
     */
    static void check(RuntimeProfile profile, CommandTransport transport) {
        if (!profile.name().equals("crun")) {
            return;
        }
        String controllers = new HostFiles(transport).read(UNIFIED_CONTROLLERS)
                .map(b -> new String(b, StandardCharsets.UTF_8).strip()).orElse("");
        if (!controllers.isEmpty()) {
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "oci backend: crun cannot run on " + transport.describe() + ": the host uses cgroup v1 in"
                    + " hybrid mode and its cgroup2 hierarchy has controllers (" + controllers + "), which crun refuses;"
                    + " use runc, or mount those controllers as cgroup v1 hierarchies", "runtime", null);
        }
    }
}
