package dev.berth.oci.bundle;

import dev.berth.api.error.BerthException;
import dev.berth.api.spec.CapabilityChanges;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Docker's defaults for what a container may do: capabilities, masked and read-only /proc paths. */
public final class SecurityDefaults {
    /** Docker's default capability set (14). */
    public static final List<String> CAPABILITIES = List.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD",
            "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE");

    /** Every capability Linux 5.x+ knows, for {@code add: [ALL]} and for validating names. */
    public static final List<String> ALL_CAPABILITIES = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
            "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
            "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
            "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
            "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
            "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

    public static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");

    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private SecurityDefaults() {
    }

    /** The default set with the spec's drops, then its adds, applied ({@code ALL} allowed in both); CAP_ names. */
    public static List<String> capabilities(CapabilityChanges changes) {
        Set<String> caps = new LinkedHashSet<>(CAPABILITIES);
        for (String drop : changes.drop()) {
            if (drop.equals("ALL")) {
                caps.clear();
            } else {
                caps.remove(known(drop));
            }
        }
        for (String add : changes.add()) {
            if (add.equals("ALL")) {
                caps.addAll(ALL_CAPABILITIES);
            } else {
                caps.add(known(add));
            }
        }
        var out = new ArrayList<String>();
        caps.forEach(c -> out.add("CAP_" + c));
        return out;
    }

    private static String known(String cap) {
        if (!ALL_CAPABILITIES.contains(cap)) {
            throw BerthException.invalidField("capabilities", cap, "allowed: ALL or a Linux capability name such as NET_ADMIN");
        }
        return cap;
    }
}
