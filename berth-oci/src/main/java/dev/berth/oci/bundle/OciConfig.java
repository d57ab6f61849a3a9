package dev.berth.oci.bundle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.spec.TmpfsMount;
import dev.berth.api.spec.Ulimit;
import dev.berth.api.spec.VolumeMount;
import dev.berth.api.spec.WorkloadSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds an OCI runtime-spec config.json (1.0.2) from {@link BundleInputs}, with Docker's
 * defaults for security (14 capabilities, no-new-privileges, masked /proc paths, seccomp), the
 * standard mounts, rlimits and cgroup resources.
 */
public final class OciConfig {
    static final long CPU_PERIOD = 100_000;
    static final long DOCKER_NOFILE = 1_048_576;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OciConfig() {
    }

    public static ObjectNode build(BundleInputs in) {
        WorkloadSpec spec = in.spec();
        var root = F.objectNode();
        root.put("ociVersion", "1.0.2");
        root.putObject("root").put("path", in.rootfs()).put("readonly", spec.readOnlyRootfs());
        root.put("hostname", in.hostname());
        root.set("process", process(in));
        root.set("mounts", mounts(in));
        root.set("linux", linux(in));
        var annotations = root.putObject("annotations");
        new TreeMap<>(in.annotations()).forEach(annotations::put);
        return root;
    }

    private static ObjectNode process(BundleInputs in) {
        var p = F.objectNode();
        p.put("terminal", false);
        var user = p.putObject("user").put("uid", in.user().uid()).put("gid", in.user().gid());
        if (!in.user().additionalGids().isEmpty()) {
            var gids = user.putArray("additionalGids");
            in.user().additionalGids().forEach(gids::add);
        }
        strings(p.putArray("args"), in.argv());
        strings(p.putArray("env"), ProcessArgs.env(in.image(), in.env(), in.hostname(), in.user().home()));
        p.put("cwd", ProcessArgs.cwd(in.spec(), in.image()));
        var caps = SecurityDefaults.capabilities(in.spec().capabilities());
        var c = p.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(c.putArray(set), caps);
        }
        c.putArray("inheritable");
        c.putArray("ambient");
        p.set("rlimits", rlimits(in));
        p.put("noNewPrivileges", true);
        p.put("oomScoreAdj", 0);
        return p;
    }

    private static ArrayNode rlimits(BundleInputs in) {
        var limits = new TreeMap<String, Ulimit>();
        long nofile = Math.min(DOCKER_NOFILE, in.nofileLimit());
        limits.put("nofile", new Ulimit(nofile, nofile));
        in.spec().ulimits().forEach((name, value) -> limits.put(name.toLowerCase(Locale.ROOT), value));
        var out = F.arrayNode();
        limits.forEach((name, u) -> out.addObject().put("type", rlimitType(name)).put("soft", u.soft()).put("hard", u.hard()));
        return out;
    }

    static String rlimitType(String name) {
        return switch (name) {
            case "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss",
                 "rtprio", "rttime", "sigpending", "stack" -> "RLIMIT_" + name.toUpperCase(Locale.ROOT);
            default -> throw BerthException.invalidField("ulimits", name, "allowed: as, core, cpu, data, fsize, locks, "
                    + "memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack");
        };
    }

    private static ArrayNode mounts(BundleInputs in) {
        var m = F.arrayNode();
        mount(m, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(m, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(m, "/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        mount(m, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        mount(m, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        // Every workload has its own network namespace (host networking is never chosen), so sysfs can be mounted.
        mount(m, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        mount(m, "/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro"));
        new TreeMap<>(in.etcFiles()).forEach((target, source) -> mount(m, target, "bind", source, List.of("rbind", "rprivate")));
        for (TmpfsMount t : in.spec().tmpfs()) {
            var opts = new java.util.ArrayList<>(List.of("nosuid", "nodev", t.exec() ? "exec" : "noexec"));
            if (t.size() != null) {
                opts.add("size=" + t.sizeBytes());
            }
            opts.add("mode=" + (t.mode() == null ? "1777" : t.mode()));
            mount(m, t.path(), "tmpfs", "tmpfs", opts);
        }
        List<VolumeMount> volumes = in.spec().volumes();
        for (int i = 0; i < volumes.size(); i++) {
            var opts = List.of("rbind", "rprivate", volumes.get(i).readOnly() ? "ro" : "rw");
            mount(m, volumes.get(i).mountPath(), "bind", in.volumes().get(i), opts);
        }
        return m;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        var m = mounts.addObject().put("destination", destination).put("type", type).put("source", source);
        strings(m.putArray("options"), options);
    }

    private static ObjectNode linux(BundleInputs in) {
        var l = F.objectNode();
        var ns = l.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount")) {
            ns.addObject().put("type", type);
        }
        var net = ns.addObject().put("type", "network");
        if (in.netns() != null) {
            net.put("path", in.netns());
        }
        l.put("cgroupsPath", in.cgroupsPath());
        l.set("resources", resources(in.spec()));
        if (!in.spec().sysctls().isEmpty()) {
            var sysctl = l.putObject("sysctl");
            new TreeMap<>(in.spec().sysctls()).forEach(sysctl::put);
        }
        strings(l.putArray("maskedPaths"), SecurityDefaults.MASKED_PATHS);
        strings(l.putArray("readonlyPaths"), SecurityDefaults.READONLY_PATHS);
        if (in.seccomp()) {
            l.set("seccomp", SeccompProfile.json(SecurityDefaults.capabilities(in.spec().capabilities())));
        }
        return l;
    }

    private static ObjectNode resources(WorkloadSpec spec) {
        var r = F.objectNode();
        var devices = r.putArray("devices");
        devices.addObject().put("allow", false).put("access", "rwm");
        // The devices every container gets: null, zero, full, random, urandom, tty, console, ptmx, pts.
        for (int[] dev : new int[][] {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}}) {
            devices.addObject().put("allow", true).put("type", "c").put("major", dev[0]).put("minor", dev[1]).put("access", "rwm");
        }
        devices.addObject().put("allow", true).put("type", "c").put("major", 136).put("access", "rwm");
        if (spec.resources().cpus() != null) {
            r.putObject("cpu").put("quota", Math.round(spec.resources().cpus() * CPU_PERIOD)).put("period", CPU_PERIOD);
        }
        if (spec.resources().memory() != null) {
            long bytes = spec.resources().memoryBytes();
            r.putObject("memory").put("limit", bytes).put("swap", bytes);
        }
        if (spec.resources().pids() != null) {
            r.putObject("pids").put("limit", spec.resources().pids());
        }
        return r;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** For tests and messages: the annotations a bundle carries. */
    public static Map<String, String> annotations(ObjectNode config) {
        var out = new TreeMap<String, String>();
        config.path("annotations").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
