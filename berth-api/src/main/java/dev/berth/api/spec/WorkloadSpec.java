package dev.berth.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run: the one immutable description of a workload, read from YAML/JSON or built with
 * {@link #builder(String, String)}. {@link #validate()} holds every rule; the builder, the
 * parser and the engine all pass through it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WorkloadSpec(
        String name,
        BackendKind backend,
        String runtime,
        String image,
        PullPolicy pullPolicy,
        List<String> command,
        List<String> args,
        Map<String, String> env,
        String workingDir,
        String user,
        Resources resources,
        List<PortMapping> ports,
        List<String> networks,
        List<String> securityGroups,
        List<VolumeMount> volumes,
        List<TmpfsMount> tmpfs,
        List<FileCopy> files,
        String userData,
        Boolean keepAlive,
        Readiness readiness,
        RestartPolicy restart,
        Isolation isolation,
        Boolean hostAccess,
        Map<String, String> labels,
        Map<String, Ulimit> ulimits,
        Map<String, String> sysctls,
        CapabilityChanges capabilities,
        Boolean readOnlyRootfs,
        Boolean autoRemove) {

    public WorkloadSpec {
        pullPolicy = pullPolicy == null ? PullPolicy.IF_NOT_PRESENT : pullPolicy;
        command = command == null ? null : List.copyOf(command);
        args = args == null ? null : List.copyOf(args);
        env = env == null ? Map.of() : immutable(env);
        resources = resources == null ? Resources.NONE : resources;
        ports = ports == null ? List.of() : List.copyOf(ports);
        networks = networks == null ? List.of() : List.copyOf(networks);
        securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        tmpfs = tmpfs == null ? List.of() : List.copyOf(tmpfs);
        files = files == null ? List.of() : List.copyOf(files);
        keepAlive = keepAlive != null && keepAlive;
        restart = restart == null ? RestartPolicy.NO : restart;
        isolation = isolation == null ? Isolation.DEFAULT : isolation;
        hostAccess = hostAccess != null && hostAccess;
        labels = labels == null ? Map.of() : immutable(labels);
        ulimits = ulimits == null ? Map.of() : immutable(ulimits);
        sysctls = sysctls == null ? Map.of() : immutable(sysctls);
        capabilities = capabilities == null ? CapabilityChanges.NONE : capabilities;
        readOnlyRootfs = readOnlyRootfs != null && readOnlyRootfs;
        autoRemove = autoRemove != null && autoRemove;
    }

    /** Checks every field; returns this spec, or throws naming the first bad field and what is allowed. */
    public WorkloadSpec validate() {
        SpecRules.validate(this);
        return this;
    }

    public static Builder builder(String name, String image) {
        return new Builder(name, image);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static <V> Map<String, V> immutable(Map<String, V> map) {
        // Keeps the caller's order (env and labels read better that way) while staying unmodifiable.
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Fluent construction for Java users; {@link #build()} validates. */
    public static final class Builder {
        private String name;
        private BackendKind backend;
        private String runtime;
        private String image;
        private PullPolicy pullPolicy;
        private List<String> command;
        private List<String> args;
        private final Map<String, String> env = new LinkedHashMap<>();
        private String workingDir;
        private String user;
        private Resources resources;
        private final List<PortMapping> ports = new java.util.ArrayList<>();
        private final List<String> networks = new java.util.ArrayList<>();
        private final List<String> securityGroups = new java.util.ArrayList<>();
        private final List<VolumeMount> volumes = new java.util.ArrayList<>();
        private final List<TmpfsMount> tmpfs = new java.util.ArrayList<>();
        private final List<FileCopy> files = new java.util.ArrayList<>();
        private String userData;
        private Boolean keepAlive;
        private Readiness readiness;
        private RestartPolicy restart;
        private Isolation isolation;
        private Boolean hostAccess;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, Ulimit> ulimits = new LinkedHashMap<>();
        private final Map<String, String> sysctls = new LinkedHashMap<>();
        private CapabilityChanges capabilities;
        private Boolean readOnlyRootfs;
        private Boolean autoRemove;

        private Builder(String name, String image) {
            this.name = name;
            this.image = image;
        }

        private Builder(WorkloadSpec s) {
            this(s.name, s.image);
            backend = s.backend;
            runtime = s.runtime;
            pullPolicy = s.pullPolicy;
            command = s.command;
            args = s.args;
            env.putAll(s.env);
            workingDir = s.workingDir;
            user = s.user;
            resources = s.resources;
            ports.addAll(s.ports);
            networks.addAll(s.networks);
            securityGroups.addAll(s.securityGroups);
            volumes.addAll(s.volumes);
            tmpfs.addAll(s.tmpfs);
            files.addAll(s.files);
            userData = s.userData;
            keepAlive = s.keepAlive;
            readiness = s.readiness;
            restart = s.restart;
            isolation = s.isolation;
            hostAccess = s.hostAccess;
            labels.putAll(s.labels);
            ulimits.putAll(s.ulimits);
            sysctls.putAll(s.sysctls);
            capabilities = s.capabilities;
            readOnlyRootfs = s.readOnlyRootfs;
            autoRemove = s.autoRemove;
        }

        public Builder name(String value) { name = value; return this; }
        public Builder image(String value) { image = value; return this; }
        public Builder backend(BackendKind value) { backend = value; return this; }
        public Builder runtime(String value) { runtime = value; return this; }
        public Builder pullPolicy(PullPolicy value) { pullPolicy = value; return this; }
        public Builder command(String... argv) { command = List.of(argv); return this; }
        public Builder command(List<String> argv) { command = argv; return this; }
        public Builder args(String... argv) { args = List.of(argv); return this; }
        public Builder args(List<String> argv) { args = argv; return this; }
        public Builder env(String key, String value) { env.put(key, value); return this; }
        public Builder env(Map<String, String> values) { env.putAll(values); return this; }
        public Builder workingDir(String value) { workingDir = value; return this; }
        public Builder user(String value) { user = value; return this; }
        public Builder resources(Double cpus, String memory, Integer pids) { resources = new Resources(cpus, memory, pids); return this; }
        public Builder port(PortMapping value) { ports.add(value); return this; }
        public Builder port(int containerPort) { ports.add(PortMapping.tcp(containerPort)); return this; }
        public Builder network(String value) { networks.add(value); return this; }
        public Builder securityGroup(String value) { securityGroups.add(value); return this; }
        public Builder volume(VolumeMount value) { volumes.add(value); return this; }
        public Builder tmpfs(TmpfsMount value) { tmpfs.add(value); return this; }
        public Builder file(String path, String archive) { files.add(new FileCopy(path, archive)); return this; }
        public Builder userData(String value) { userData = value; return this; }
        public Builder keepAlive(boolean value) { keepAlive = value; return this; }
        public Builder readiness(Readiness value) { readiness = value; return this; }
        public Builder restart(RestartMode mode, int maxRetries) { restart = new RestartPolicy(mode, maxRetries); return this; }
        public Builder isolation(Isolation value) { isolation = value; return this; }
        public Builder hostAccess(boolean value) { hostAccess = value; return this; }
        public Builder label(String key, String value) { labels.put(key, value); return this; }
        public Builder ulimit(String name, long soft, long hard) { ulimits.put(name, new Ulimit(soft, hard)); return this; }
        public Builder sysctl(String key, String value) { sysctls.put(key, value); return this; }
        public Builder capabilities(List<String> add, List<String> drop) { capabilities = new CapabilityChanges(add, drop); return this; }
        public Builder readOnlyRootfs(boolean value) { readOnlyRootfs = value; return this; }
        /** Remove the workload once it exits, as {@code docker run --rm} does; needs a supervising engine (the daemon). */
        public Builder autoRemove(boolean value) { autoRemove = value; return this; }

        public WorkloadSpec build() {
            return new WorkloadSpec(name, backend, runtime, image, pullPolicy, command, args, env, workingDir, user,
                    resources, ports, networks, securityGroups, volumes, tmpfs, files, userData, keepAlive,
                    readiness, restart, isolation, hostAccess, labels, ulimits, sysctls, capabilities,
                    readOnlyRootfs, autoRemove).validate();
        }
    }
}
