package dev.berth.testkit;

import dev.berth.api.spec.Isolation;
import dev.berth.api.spec.Readiness;
import dev.berth.api.spec.RestartMode;
import dev.berth.api.spec.TmpfsMount;
import dev.berth.api.spec.VolumeMount;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.SpecField;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** Spec manipulations the suites need beyond the builder. */
final class Specs {
    private Specs() {
    }

    /** A copy of {@code spec} named {@code name}, deliberately not validated. */
    static WorkloadSpec withName(WorkloadSpec s, String name) {
        return new WorkloadSpec(name, s.backend(), s.runtime(), s.image(), s.pullPolicy(), s.command(), s.args(),
                s.env(), s.workingDir(), s.user(), s.resources(), s.ports(), s.networks(), s.securityGroups(),
                s.volumes(), s.tmpfs(), s.files(), s.userData(), s.keepAlive(), s.readiness(), s.restart(),
                s.isolation(), s.hostAccess(), s.labels(), s.ulimits(), s.sysctls(), s.capabilities(),
                s.readOnlyRootfs(), s.autoRemove());
    }

    /** Sets {@code field} on {@code spec} to a valid value, so that a backend lacking it must refuse. */
    static WorkloadSpec.Builder setting(SpecField field, WorkloadSpec.Builder spec) {
        return switch (field) {
            case RUNTIME -> spec.runtime("runsc");
            case COMMAND -> spec.command("true");
            case ARGS -> spec.args("true");
            case ENV -> spec.env("CK", "1");
            case WORKING_DIR -> spec.workingDir("/srv");
            case USER -> spec.user("1000:1000");
            case CPUS -> spec.resources(0.5, null, null);
            case MEMORY -> spec.resources(null, "64Mi", null);
            case PIDS -> spec.resources(null, null, 64);
            case PORTS -> spec.port(8080);
            case NETWORKS -> spec.network("ck-unsupported-net");
            case SECURITY_GROUPS -> spec.securityGroup("web");
            case VOLUMES -> spec.volume(new VolumeMount("data", "/data", null, false, false));
            case VOLUME_SIZE -> spec.volume(new VolumeMount("data", "/data", "1Gi", false, false));
            case VOLUME_ENCRYPTED -> spec.volume(new VolumeMount("data", "/data", null, true, false));
            case TMPFS -> spec.tmpfs(new TmpfsMount("/scratch", "16Mi", false, null));
            case FILES -> spec.file("/srv", emptyTar());
            case USER_DATA -> spec.userData("echo booted > /tmp/booted");
            case KEEP_ALIVE -> spec.keepAlive(true);
            case READINESS -> spec.readiness(new Readiness(8080, null, null, null, "5s"));
            case RESTART -> spec.restart(RestartMode.ALWAYS, 0);
            case ISOLATION_SANDBOX -> spec.isolation(Isolation.SANDBOX);
            case HOST_ACCESS -> spec.hostAccess(true);
            case LABELS -> spec.label("team", "conformance");
            case ULIMITS -> spec.ulimit("nofile", 1024, 1024);
            case SYSCTLS -> spec.sysctl("net.core.somaxconn", "1024");
            case CAPABILITIES -> spec.capabilities(List.of("NET_ADMIN"), List.of());
            case READ_ONLY_ROOTFS -> spec.readOnlyRootfs(true);
        };
    }

    private static String emptyTar() {
        try {
            var file = Files.createTempFile("berth-conformance-", ".tar");
            file.toFile().deleteOnExit();
            try (var out = Files.newOutputStream(file)) {
                new TarWriter(out).finish();
            }
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
