package dev.berth.oci.bundle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The default seccomp filter: every system call is allowed except those Docker's default
 * profile refuses to a container without extra capabilities (kernel modules, kexec, clock and
 * keyring changes, swap, accounting, BPF, perf, handles to host files, ...), which fail with EPERM.
 * A deny list keeps new, harmless system calls working, where Docker's allow list breaks them.
 */
public final class SeccompProfile {
    static final List<String> DENIED = List.of("acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module",
            "delete_module", "finit_module", "get_kernel_syms", "get_mempolicy", "init_module", "ioperm", "iopl", "kcmp",
            "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mbind", "mount", "move_pages", "name_to_handle_at",
            "nfsservctl", "open_by_handle_at", "perf_event_open", "pivot_root", "process_vm_readv",
            "process_vm_writev", "ptrace", "query_module", "quotactl", "reboot", "request_key", "set_mempolicy", "setns",
            "settimeofday", "stime", "swapoff", "swapon", "_sysctl", "sysfs", "umount", "umount2", "unshare", "uselib",
            "userfaultfd", "ustat", "vm86", "vm86old", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick");

    /** System calls a capability the workload was granted makes legitimate again, as in Docker. */
    static final Map<String, List<String>> ALLOWED_BY_CAPABILITY = Map.of(
            "CAP_SYS_ADMIN", List.of("mount", "umount", "umount2", "unshare", "setns", "pivot_root", "name_to_handle_at",
                    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "quotactl", "lookup_dcookie",
                    "bpf", "perf_event_open"),
            "CAP_SYS_PTRACE", List.of("ptrace", "process_vm_readv", "process_vm_writev", "kcmp"),
            "CAP_SYS_MODULE", List.of("init_module", "finit_module", "delete_module"),
            "CAP_SYS_TIME", List.of("settimeofday", "stime", "clock_settime", "clock_adjtime"),
            "CAP_SYS_BOOT", List.of("reboot"),
            "CAP_SYS_PACCT", List.of("acct"),
            "CAP_DAC_READ_SEARCH", List.of("open_by_handle_at"),
            "CAP_SYS_NICE", List.of("get_mempolicy", "set_mempolicy", "mbind", "move_pages"),
            "CAP_BPF", List.of("bpf"),
            "CAP_PERFMON", List.of("perf_event_open"));

    private SeccompProfile() {
    }

    /** The filter for a process holding {@code capabilities} (CAP_ names). */
    public static ObjectNode json(List<String> capabilities) {
        var denied = new java.util.ArrayList<>(DENIED);
        capabilities.forEach(c -> denied.removeAll(ALLOWED_BY_CAPABILITY.getOrDefault(c, List.of())));
        var seccomp = JsonNodeFactory.instance.objectNode();
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32")
                .add("SCMP_ARCH_AARCH64").add("SCMP_ARCH_ARM");
        var rule = seccomp.putArray("syscalls").addObject();
        var names = rule.putArray("names");
        denied.forEach(names::add);
        rule.put("action", "SCMP_ACT_ERRNO");
        rule.put("errnoRet", 1);
        return seccomp;
    }
}
