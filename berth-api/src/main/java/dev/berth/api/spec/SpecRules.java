package dev.berth.api.spec;

import dev.berth.api.error.BerthException;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Every rule a {@link WorkloadSpec} must satisfy, in one place, with messages naming field, value and what is allowed. */
final class SpecRules {
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final String DNS_LABEL_ALLOWED =
            "allowed: 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit";
    private static final Pattern RUNTIME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,63})?");
    private static final Pattern SYSCTL = Pattern.compile("[a-z0-9_]+([./][a-z0-9_-]+)+");
    private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
    private static final Set<String> RESERVED_NETWORKS = Set.of("host", "none", "bridge", "default");
    static final String RESERVED_LABEL_PREFIX = "dev.berth.";
    private static final int MAX_USER_DATA = 16 * 1024;
    static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");
    static final Set<String> CAPABILITIES = Set.of("ALL", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
            "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
            "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO",
            "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE",
            "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
            "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON",
            "BPF", "CHECKPOINT_RESTORE");

    private SpecRules() {
    }

    static void validate(WorkloadSpec s) {
        name("name", s.name());
        if (s.runtime() != null && !RUNTIME.matcher(s.runtime()).matches()) {
            throw BerthException.invalidField("runtime", s.runtime(),
                    "allowed: a runtime name such as runc, crun, youki, runsc (lowercase letters, digits, '.', '_', '-')");
        }
        if (s.image() == null) {
            throw BerthException.invalidField("image", null, "required: an image reference such as 127.0.0.1:5000/app:1.2");
        }
        ImageRef.parse("image", s.image());
        argv("command", s.command());
        argv("args", s.args());
        env(s.env());
        if (s.workingDir() != null) {
            absolutePath("workingDir", s.workingDir());
        }
        if (s.user() != null && !USER.matcher(s.user()).matches()) {
            throw BerthException.invalidField("user", s.user(), "allowed: USER or USER:GROUP, by name or number (e.g. 1000:1000)");
        }
        resources(s.resources());
        ports(s.ports());
        names("networks", s.networks());
        for (String n : s.networks()) {
            if (RESERVED_NETWORKS.contains(n)) {
                throw BerthException.invalidField("networks", n, "reserved names host, none, bridge, default are not Berth networks");
            }
        }
        names("securityGroups", s.securityGroups());
        volumes(s.volumes());
        tmpfs(s.tmpfs());
        files(s.files());
        if (s.userData() != null && s.userData().length() > MAX_USER_DATA) {
            throw BerthException.invalidField("userData", s.userData().length() + " characters", "allowed: at most 16384 characters");
        }
        noNul("userData", s.userData());
        if (s.readiness() != null) {
            readiness(s.readiness());
        }
        restart(s.restart());
        if (s.autoRemove() && s.restart().policy() != RestartMode.NO) {
            throw BerthException.invalidField("autoRemove", true, "not together with restart policy "
                    + s.restart().policy().wire() + ": a removed workload cannot be restarted (use restart: no)");
        }
        labels(s.labels());
        ulimits(s.ulimits());
        sysctls(s.sysctls());
        capabilities(s.capabilities());
    }

    static void name(String field, String value) {
        if (value == null || !DNS_LABEL.matcher(value).matches()) {
            throw BerthException.invalidField(field, value, DNS_LABEL_ALLOWED);
        }
    }

    private static void names(String field, List<String> values) {
        var seen = new HashSet<String>();
        for (int i = 0; i < values.size(); i++) {
            name(field + "[" + i + "]", values.get(i));
            if (!seen.add(values.get(i))) {
                throw BerthException.invalidField(field + "[" + i + "]", values.get(i), "each name may appear once");
            }
        }
    }

    private static void argv(String field, List<String> argv) {
        if (argv == null) {
            return;
        }
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i) == null) {
                throw BerthException.invalidField(field + "[" + i + "]", null, "allowed: a string");
            }
            noNul(field + "[" + i + "]", argv.get(i));
        }
    }

    private static void env(Map<String, String> env) {
        for (var e : env.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
                throw BerthException.invalidField("env", key, "allowed: a non-empty variable name without '=' or NUL");
            }
            if (e.getValue() == null) {
                throw BerthException.invalidField("env." + key, null, "allowed: a string value (use \"\" for empty)");
            }
            noNul("env." + key, e.getValue());
        }
    }

    private static void resources(Resources r) {
        if (r.cpus() != null && !(r.cpus() > 0 && r.cpus() <= 1024)) {
            throw BerthException.invalidField("resources.cpus", r.cpus(), "allowed: a number of CPUs greater than 0 and at most 1024, e.g. 0.5");
        }
        if (r.memory() != null) {
            long bytes = Quantities.parseBytes("resources.memory", r.memory());
            if (bytes < (1 << 20)) {
                throw BerthException.invalidField("resources.memory", r.memory(), "allowed: at least 1Mi");
            }
        }
        if (r.pids() != null && r.pids() < 1) {
            throw BerthException.invalidField("resources.pids", r.pids(), "allowed: a positive number of processes");
        }
    }

    private static void ports(List<PortMapping> ports) {
        var containerSide = new HashSet<String>();
        var hostSide = new HashSet<String>();
        for (int i = 0; i < ports.size(); i++) {
            PortMapping p = ports.get(i);
            String f = "ports[" + i + "]";
            if (p.containerPort() < 1 || p.containerPort() > 65535) {
                throw BerthException.invalidField(f + ".containerPort", p.containerPort(), "allowed: 1-65535");
            }
            if (p.hostPort() < 0 || p.hostPort() > 65535) {
                throw BerthException.invalidField(f + ".hostPort", p.hostPort(), "allowed: 1-65535, or 0 for an ephemeral port");
            }
            if (p.hostIp() != null && !isIpLiteral(p.hostIp())) {
                throw BerthException.invalidField(f + ".hostIp", p.hostIp(), "allowed: an IPv4 or IPv6 address such as 127.0.0.1");
            }
            if (!containerSide.add(p.containerPort() + "/" + p.protocol())) {
                throw BerthException.invalidField(f + ".containerPort", p.containerPort(), "each container port and protocol may be published once");
            }
            if (p.hostPort() != 0 && !hostSide.add(p.hostIp() + ":" + p.hostPort() + "/" + p.protocol())) {
                throw BerthException.invalidField(f + ".hostPort", p.hostPort(), "each host port and protocol may be used once");
            }
        }
    }

    private static boolean isIpLiteral(String value) {
        if (!value.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            return false; // refuse anything InetAddress would resolve through DNS
        }
        try {
            InetAddress.getByName(value);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void volumes(List<VolumeMount> volumes) {
        var names = new HashSet<String>();
        var paths = new HashSet<String>();
        for (int i = 0; i < volumes.size(); i++) {
            VolumeMount v = volumes.get(i);
            String f = "volumes[" + i + "]";
            name(f + ".name", v.name());
            absolutePath(f + ".mountPath", v.mountPath());
            if (v.size() != null) {
                Quantities.parseBytes(f + ".size", v.size());
            }
            if (!names.add(v.name())) {
                throw BerthException.invalidField(f + ".name", v.name(), "each volume name may appear once");
            }
            if (!paths.add(v.mountPath())) {
                throw BerthException.invalidField(f + ".mountPath", v.mountPath(), "each mount path may appear once");
            }
        }
    }

    private static void tmpfs(List<TmpfsMount> mounts) {
        var paths = new HashSet<String>();
        for (int i = 0; i < mounts.size(); i++) {
            TmpfsMount t = mounts.get(i);
            String f = "tmpfs[" + i + "]";
            absolutePath(f + ".path", t.path());
            if (t.size() != null) {
                Quantities.parseBytes(f + ".size", t.size());
            }
            if (t.mode() != null && !MODE.matcher(t.mode()).matches()) {
                throw BerthException.invalidField(f + ".mode", t.mode(), "allowed: an octal mode such as 1777 or 755");
            }
            if (!paths.add(t.path())) {
                throw BerthException.invalidField(f + ".path", t.path(), "each path may appear once");
            }
        }
    }

    private static void files(List<FileCopy> files) {
        for (int i = 0; i < files.size(); i++) {
            FileCopy c = files.get(i);
            absolutePath("files[" + i + "].path", c.path());
            if (c.archive() == null || c.archive().isBlank()) {
                throw BerthException.invalidField("files[" + i + "].archive", c.archive(), "required: a path to a .tar, .tar.gz or .zip archive");
            }
            noNul("files[" + i + "].archive", c.archive());
        }
    }

    private static void readiness(Readiness r) {
        int set = (r.tcp() != null ? 1 : 0) + (r.http() != null ? 1 : 0) + (r.log() != null ? 1 : 0) + (r.exec() != null ? 1 : 0);
        if (set != 1) {
            throw BerthException.invalidField("readiness", set + " probes", "allowed: exactly one of tcp, http, log, exec");
        }
        if (r.tcp() != null && (r.tcp() < 1 || r.tcp() > 65535)) {
            throw BerthException.invalidField("readiness.tcp", r.tcp(), "allowed: a port 1-65535");
        }
        if (r.http() != null) {
            if (r.http().port() < 1 || r.http().port() > 65535) {
                throw BerthException.invalidField("readiness.http.port", r.http().port(), "allowed: a port 1-65535");
            }
            if (!r.http().path().startsWith("/")) {
                throw BerthException.invalidField("readiness.http.path", r.http().path(), "allowed: a path starting with '/'");
            }
        }
        if (r.log() != null) {
            try {
                Pattern.compile(r.log());
            } catch (PatternSyntaxException e) {
                throw BerthException.invalidField("readiness.log", r.log(), "allowed: a Java regular expression (" + e.getDescription() + ")");
            }
        }
        if (r.exec() != null && r.exec().isEmpty()) {
            throw BerthException.invalidField("readiness.exec", "[]", "allowed: a non-empty argv list");
        }
        r.timeoutDuration();
    }

    private static void restart(RestartPolicy r) {
        if (r.maxRetries() < 0) {
            throw BerthException.invalidField("restart.maxRetries", r.maxRetries(), "allowed: 0 (unlimited) or a positive count");
        }
        if (r.maxRetries() > 0 && r.policy() != RestartMode.ON_FAILURE) {
            throw BerthException.invalidField("restart.maxRetries", r.maxRetries(), "allowed only with policy on-failure");
        }
    }

    private static void labels(Map<String, String> labels) {
        for (var e : labels.entrySet()) {
            if (e.getKey().isBlank() || e.getKey().length() > 253 || e.getKey().indexOf('\0') >= 0) {
                throw BerthException.invalidField("labels", e.getKey(), "allowed: a key of 1-253 characters");
            }
            if (e.getKey().startsWith(RESERVED_LABEL_PREFIX)) {
                throw BerthException.invalidField("labels", e.getKey(), "the prefix dev.berth. is reserved for Berth's own labels");
            }
            if (e.getValue() == null) {
                throw BerthException.invalidField("labels." + e.getKey(), null, "allowed: a string value");
            }
            noNul("labels." + e.getKey(), e.getValue());
        }
    }

    private static void ulimits(Map<String, Ulimit> ulimits) {
        for (var e : ulimits.entrySet()) {
            if (!ULIMITS.contains(e.getKey())) {
                throw BerthException.invalidField("ulimits", e.getKey(), "allowed: " + String.join(", ", new java.util.TreeSet<>(ULIMITS)));
            }
            Ulimit u = e.getValue();
            if (u.soft() < -1 || u.hard() < -1 || (u.hard() != -1 && u.soft() > u.hard()) || (u.hard() != -1 && u.soft() == -1)) {
                throw BerthException.invalidField("ulimits." + e.getKey(), u.soft() + ":" + u.hard(), "allowed: soft <= hard, each a count or -1 (unlimited)");
            }
        }
    }

    private static void sysctls(Map<String, String> sysctls) {
        for (var e : sysctls.entrySet()) {
            if (!SYSCTL.matcher(e.getKey()).matches()) {
                throw BerthException.invalidField("sysctls", e.getKey(), "allowed: a dotted kernel parameter such as net.ipv4.ip_forward");
            }
            if (e.getValue() == null) {
                throw BerthException.invalidField("sysctls." + e.getKey(), null, "allowed: a string value");
            }
            noNul("sysctls." + e.getKey(), e.getValue());
        }
    }

    private static void capabilities(CapabilityChanges c) {
        check("capabilities.add", c.add());
        check("capabilities.drop", c.drop());
    }

    private static void check(String field, List<String> caps) {
        for (int i = 0; i < caps.size(); i++) {
            if (caps.get(i) == null || !CAPABILITIES.contains(caps.get(i))) {
                throw BerthException.invalidField(field + "[" + i + "]", caps.get(i),
                        "allowed: ALL or a Linux capability name such as NET_ADMIN, SYS_PTRACE, CHOWN (CAP_ prefix optional)");
            }
        }
    }

    static void absolutePath(String field, String path) {
        if (path == null || !path.startsWith("/") || path.length() > 4096) {
            throw BerthException.invalidField(field, path, "allowed: an absolute path such as /data");
        }
        noNul(field, path);
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                throw BerthException.invalidField(field, path, "allowed: an absolute path without '..' components");
            }
        }
    }

    private static void noNul(String field, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw BerthException.invalidField(field, value.replace("\0", "\\0"), "NUL characters are not allowed");
        }
    }
}
