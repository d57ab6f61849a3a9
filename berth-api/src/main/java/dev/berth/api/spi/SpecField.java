package dev.berth.api.spi;

import dev.berth.api.spec.Isolation;
import dev.berth.api.spec.WorkloadSpec;
import java.util.function.Predicate;

/**
 * Spec fields (and field values) a backend may or may not honour. {@link Capabilities#check}
 * rejects a spec that sets one the backend lacks, naming the field: nothing is silently dropped.
 */
public enum SpecField {
    RUNTIME("runtime", s -> s.runtime() != null),
    COMMAND("command", s -> s.command() != null),
    ARGS("args", s -> s.args() != null),
    ENV("env", s -> !s.env().isEmpty()),
    WORKING_DIR("workingDir", s -> s.workingDir() != null),
    USER("user", s -> s.user() != null),
    CPUS("resources.cpus", s -> s.resources().cpus() != null),
    MEMORY("resources.memory", s -> s.resources().memory() != null),
    PIDS("resources.pids", s -> s.resources().pids() != null),
    PORTS("ports", s -> !s.ports().isEmpty()),
    NETWORKS("networks", s -> !s.networks().isEmpty()),
    SECURITY_GROUPS("securityGroups", s -> !s.securityGroups().isEmpty()),
    VOLUMES("volumes", s -> !s.volumes().isEmpty()),
    VOLUME_SIZE("volumes[].size", s -> s.volumes().stream().anyMatch(v -> v.size() != null)),
    VOLUME_ENCRYPTED("volumes[].encrypted", s -> s.volumes().stream().anyMatch(v -> v.encrypted())),
    TMPFS("tmpfs", s -> !s.tmpfs().isEmpty()),
    FILES("files", s -> !s.files().isEmpty()),
    USER_DATA("userData", s -> s.userData() != null),
    KEEP_ALIVE("keepAlive", WorkloadSpec::keepAlive),
    READINESS("readiness", s -> s.readiness() != null),
    RESTART("restart", s -> s.restart().policy() != dev.berth.api.spec.RestartMode.NO),
    ISOLATION_SANDBOX("isolation", s -> s.isolation() == Isolation.SANDBOX),
    HOST_ACCESS("hostAccess", WorkloadSpec::hostAccess),
    LABELS("labels", s -> !s.labels().isEmpty()),
    ULIMITS("ulimits", s -> !s.ulimits().isEmpty()),
    SYSCTLS("sysctls", s -> !s.sysctls().isEmpty()),
    CAPABILITIES("capabilities", s -> !s.capabilities().add().isEmpty() || !s.capabilities().drop().isEmpty()),
    READ_ONLY_ROOTFS("readOnlyRootfs", WorkloadSpec::readOnlyRootfs);

    private final String path;
    private final Predicate<WorkloadSpec> isSet;

    SpecField(String path, Predicate<WorkloadSpec> isSet) {
        this.path = path;
        this.isSet = isSet;
    }

    /** The field as users write it in a spec. */
    public String path() {
        return path;
    }

    public boolean isSetIn(WorkloadSpec spec) {
        return isSet.test(spec);
    }
}
