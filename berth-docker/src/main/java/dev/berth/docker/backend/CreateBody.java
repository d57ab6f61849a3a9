package dev.berth.docker.backend;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.spec.PortMapping;
import dev.berth.api.spec.RestartMode;
import dev.berth.api.spec.TmpfsMount;
import dev.berth.api.spec.VolumeMount;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.CreateRequest;
import dev.berth.api.spi.OwnerLabels;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated spec into the body of {@code POST /containers/create}. Docker's own
 * ENTRYPOINT/CMD rule applies: a spec {@code command} replaces the image ENTRYPOINT and drops
 * the image CMD; {@code args} replace the CMD.
 */
final class CreateBody {
    /** Label naming the network whose address is the workload's primary IP. */
    static final String PRIMARY_NETWORK = "dev.berth.primary-network";

    private CreateBody() {
    }

    /**
     * @param initArgv the workload's real argv when it runs under {@link InstanceInit}'s wrapper
     *                 (userData or keepAlive), else null
     */
    static ObjectNode of(CreateRequest request, String hostAliasEntry, String runtime, List<String> initArgv) {
        WorkloadSpec spec = request.spec();
        var body = JsonNodeFactory.instance.objectNode();
        body.put("Image", spec.image());
        if (initArgv != null) {
            strings(body.putArray("Entrypoint"), InstanceInit.entrypoint(spec));
            strings(body.putArray("Cmd"), initArgv);
        } else if (spec.command() != null) {
            // An empty list clears the image ENTRYPOINT; Docker spells that [""].
            strings(body.putArray("Entrypoint"), spec.command().isEmpty() ? List.of("") : spec.command());
        }
        if (initArgv == null && spec.args() != null) {
            strings(body.putArray("Cmd"), spec.args());
        }
        var env = body.putArray("Env");
        request.environment().forEach((k, v) -> env.add(k + "=" + v));
        if (spec.workingDir() != null) {
            body.put("WorkingDir", spec.workingDir());
        }
        if (spec.user() != null) {
            body.put("User", spec.user());
        }
        body.put("Hostname", spec.name());
        var labels = body.putObject("Labels");
        spec.labels().forEach(labels::put);
        request.owner().asMap().forEach(labels::put);
        if (!spec.networks().isEmpty()) {
            labels.put(PRIMARY_NETWORK, spec.networks().get(0));
        }
        var exposed = body.putObject("ExposedPorts");
        spec.ports().forEach(p -> exposed.putObject(portKey(p)));
        body.set("HostConfig", hostConfig(request, hostAliasEntry, runtime));
        if (!spec.networks().isEmpty()) {
            var endpoint = body.putObject("NetworkingConfig").putObject("EndpointsConfig").putObject(spec.networks().get(0));
            endpoint.putArray("Aliases").add(spec.name());
        }
        return body;
    }

    private static ObjectNode hostConfig(CreateRequest request, String hostAliasEntry, String runtime) {
        WorkloadSpec spec = request.spec();
        var host = JsonNodeFactory.instance.objectNode();
        if (spec.resources().cpus() != null) {
            host.put("NanoCpus", Math.round(spec.resources().cpus() * 1_000_000_000L));
        }
        if (spec.resources().memory() != null) {
            host.put("Memory", spec.resources().memoryBytes());
            host.put("MemorySwap", spec.resources().memoryBytes()); // no extra swap beyond the limit
        }
        if (spec.resources().pids() != null) {
            host.put("PidsLimit", spec.resources().pids());
        }
        var bindings = host.putObject("PortBindings");
        for (PortMapping p : spec.ports()) {
            bindings.putArray(portKey(p)).addObject()
                    .put("HostIp", p.hostIp() == null ? "" : p.hostIp())
                    .put("HostPort", p.hostPort() == 0 ? "" : Integer.toString(p.hostPort()));
        }
        host.put("NetworkMode", spec.networks().isEmpty() ? "bridge" : spec.networks().get(0));
        if (!spec.tmpfs().isEmpty()) {
            var tmpfs = host.putObject("Tmpfs");
            spec.tmpfs().forEach(t -> tmpfs.put(t.path(), tmpfsOptions(t)));
        }
        if (!spec.ulimits().isEmpty()) {
            var ulimits = host.putArray("Ulimits");
            spec.ulimits().forEach((name, u) -> ulimits.addObject().put("Name", name).put("Soft", u.soft()).put("Hard", u.hard()));
        }
        strings(host.putArray("CapAdd"), spec.capabilities().add());
        strings(host.putArray("CapDrop"), spec.capabilities().drop());
        host.put("ReadonlyRootfs", spec.readOnlyRootfs());
        host.putArray("SecurityOpt").add("no-new-privileges");
        if (spec.restart().policy() != RestartMode.NO) {
            host.putObject("RestartPolicy").put("Name", spec.restart().policy().wire())
                    .put("MaximumRetryCount", spec.restart().maxRetries());
        }
        if (hostAliasEntry != null && spec.hostAccess()) {
            host.putArray("ExtraHosts").add(hostAliasEntry);
        }
        if (!spec.sysctls().isEmpty()) {
            var sysctls = host.putObject("Sysctls");
            spec.sysctls().forEach(sysctls::put);
        }
        if (!spec.volumes().isEmpty()) {
            var mounts = host.putArray("Mounts");
            for (VolumeMount v : spec.volumes()) {
                // Anonymous volumes: removed with the container (rm -v), so none outlives its workload.
                var m = mounts.addObject().put("Type", "volume").put("Target", v.mountPath()).put("ReadOnly", v.readOnly());
                var vl = m.putObject("VolumeOptions").putObject("Labels");
                request.owner().asMap().forEach(vl::put);
                vl.put("dev.berth.volume", v.name());
            }
        }
        if (runtime != null) {
            host.put("Runtime", runtime);
        }
        return host;
    }

    static String tmpfsOptions(TmpfsMount t) {
        var opts = new StringBuilder(t.exec() ? "exec" : "noexec");
        if (t.size() != null) {
            opts.append(",size=").append(t.sizeBytes());
        }
        if (t.mode() != null) {
            opts.append(",mode=").append(t.mode());
        }
        return opts.toString();
    }

    static String portKey(PortMapping p) {
        return p.containerPort() + "/" + p.protocol().wire();
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    static boolean ownedBy(Map<String, String> labels, OwnerLabels owner) {
        return owner.ownerId().equals(labels.get(OwnerLabels.OWNER))
                && owner.workload().equals(labels.get(OwnerLabels.WORKLOAD))
                && Long.toString(owner.generation()).equals(labels.get(OwnerLabels.GENERATION));
    }
}
