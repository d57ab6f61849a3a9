package dev.berth.oci.backend;

import dev.berth.api.spec.Isolation;
import dev.berth.api.spec.VolumeMount;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.CreateRequest;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.image.store.StoredImage;
import dev.berth.net.NetworkFabric;
import dev.berth.oci.bundle.BundleInputs;
import dev.berth.oci.bundle.EtcFiles;
import dev.berth.oci.bundle.OciConfig;
import dev.berth.oci.bundle.ProcessArgs;
import dev.berth.oci.bundle.ResolvedUser;
import dev.berth.oci.bundle.Users;
import dev.berth.oci.images.OciImages;
import dev.berth.oci.rootfs.Rootfs;
import dev.berth.oci.runtime.RuntimeProfile;
import dev.berth.oci.transport.CommandTransport;
import dev.berth.oci.transport.HostFiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Lays out a workload's bundle: metadata first (so a crash leaves something the reaper finds),
 * then the rootfs, the network namespace with its addresses reserved, /etc files, volumes and
 * config.json. {@link #plug} completes the network (veths, addresses, routes, rules) and runs
 * while the runtime creates the container in the reserved namespace.
 */
final class BundleFactory {
    private final Bundles bundles;
    private final Runtimes runtimes;
    private final OciImages images;
    private final Rootfs rootfs;
    private final NetworkFabric fabric;
    private final HostsFiles hosts;
    private final HostFiles files;
    private final CommandTransport transport;
    private final long nofileLimit;

    BundleFactory(Bundles bundles, Runtimes runtimes, OciImages images, Rootfs rootfs, NetworkFabric fabric, HostsFiles hosts,
                  CommandTransport transport, long nofileLimit) {
        this.bundles = bundles;
        this.runtimes = runtimes;
        this.images = images;
        this.rootfs = rootfs;
        this.fabric = fabric;
        this.hosts = hosts;
        this.files = new HostFiles(transport);
        this.transport = transport;
        this.nofileLimit = nofileLimit;
    }

    /** The runtime a spec asks for: its own {@code runtime}, runsc for {@code isolation: sandbox}, else the default. */
    String runtimeFor(WorkloadSpec spec) {
        if (spec.runtime() != null) {
            return RuntimeProfile.named(spec.runtime()).name();
        }
        return spec.isolation() == Isolation.SANDBOX ? "runsc" : runtimes.defaultName();
    }

    BundleMeta create(String id, CreateRequest request) {
        WorkloadSpec spec = request.spec();
        StoredImage image = images.require(spec.image());
        String runtime = runtimeFor(spec);
        RuntimeProfile profile = runtimes.get(runtime).profile();
        var labels = new LinkedHashMap<String, String>(spec.labels());
        labels.putAll(request.owner().asMap());
        String dir = bundles.dir(id);
        var meta = new BundleMeta(id, spec.name(), labels, spec.image(), runtime, null, spec.networks(), spec.hostAccess(),
                Instant.now());
        files.mkdirs(dir);
        bundles.writeMeta(meta);
        // The netns and addresses are reserved while the rootfs is mounted and the user resolved;
        // config.json needs all three.
        var attached = java.util.concurrent.CompletableFuture.supplyAsync(() -> network(id, spec, fabric::reserve), VIRTUAL);
        String root = Rootfs.rootfsDir(dir);
        ResolvedUser user;
        try {
            meta = meta.withRootfs(rootfs.prepare(dir, image));
            bundles.writeMeta(meta);
            var users = new Users(text(rootfs.resolveInside(root, "/etc/passwd")), text(rootfs.resolveInside(root, "/etc/group")));
            String userSpec = spec.user() != null ? spec.user() : image.config().user();
            user = users.resolve(userSpec, spec.user() != null ? "user" : "image user");
        } catch (RuntimeException e) {
            // Waited for, so that the caller's cleanup (which releases it) comes after the reservation.
            attached.exceptionally(t -> Optional.empty()).join();
            throw e;
        }
        Optional<NetworkFabric.Attachment> attachment = attached.join();
        var etc = writeEtc(dir, spec, attachment);
        var volumes = new ArrayList<String>();
        for (VolumeMount v : spec.volumes()) {
            String path = dir + "/volumes/" + v.name();
            files.mkdirs(path);
            volumes.add(path);
        }
        var inputs = new BundleInputs(spec, request.environment(), image.config(), user, ProcessArgs.argv(spec, image.config()),
                root, spec.name(), attachment.map(a -> a.netns().toString()).orElse(null), "/berth/" + id,
                profile.seccomp(), nofileLimit, labels, etc, volumes);
        byte[] config = OciConfig.build(inputs).toPrettyString().getBytes(StandardCharsets.UTF_8);
        transport.writeFile(dir + "/config.json", config, 0600);
        return meta;
    }

    /**
     * The second half of the network attach, for a bundle {@link #create} made: veths, addresses,
     * default route and port rules in the reserved netns; then the workload is a peer of the others
     * on its networks. Every hosts file on those networks is rendered again, its own included: it
     * was written while the workload was only reserved, and a peer that completed meanwhile did not
     * see it as a peer yet.
     */
    void plug(String id, WorkloadSpec spec) {
        network(id, spec, fabric::attach).ifPresent(a -> refreshHosts(a));
    }

    /**
     * Completes the network of a bundle whose reservation was never plugged in (a crash between the
     * runtime's create and the plug): the reservation's own addresses and ports, from its record.
     */
    void plugIfReserved(BundleMeta meta) {
        if (fabric == null || fabric.attachment(meta.id()).isPresent()) {
            return;
        }
        var request = new NetworkFabric.AttachRequest(meta.id(), meta.workload(), meta.networks(), List.of(), List.of());
        refreshHosts(fabric.attach(request));
    }

    private void refreshHosts(NetworkFabric.Attachment attachment) {
        hosts.refreshPeers(attachment.endpoints().stream().map(NetworkFabric.Endpoint::network).toList(), null);
    }

    /** A virtual thread per task: for the steps of a create that run beside each other. */
    static final java.util.concurrent.Executor VIRTUAL = task -> Thread.ofVirtual().start(task);

    private Optional<NetworkFabric.Attachment> network(String id, WorkloadSpec spec,
                                                       Function<NetworkFabric.AttachRequest, NetworkFabric.Attachment> step) {
        if (fabric == null) {
            return Optional.empty();
        }
        var ports = spec.ports().stream().map(p -> new NetworkFabric.PortMapping(p.hostIp(), p.hostPort(), p.containerPort(),
                p.protocol().wire())).toList();
        return Optional.of(step.apply(new NetworkFabric.AttachRequest(id, spec.name(), spec.networks(), List.of(), ports)));
    }

    private Map<String, String> writeEtc(String dir, WorkloadSpec spec, Optional<NetworkFabric.Attachment> attachment) {
        String etc = dir + "/etc";
        files.mkdirs(etc);
        boolean internal = attachment.isEmpty() || attachment.get().endpoints().stream().allMatch(e -> fabric.network(e.network())
                .map(NetworkFabric.BridgeNetwork::internal).orElse(false));
        transport.writeFile(etc + "/hostname", (spec.name() + "\n").getBytes(StandardCharsets.UTF_8), 0644);
        transport.writeFile(etc + "/hosts", hosts.render(spec.name(), attachment, spec.hostAccess()).getBytes(StandardCharsets.UTF_8), 0644);
        transport.writeFile(etc + "/resolv.conf", EtcFiles.resolvConf(text("/etc/resolv.conf"), internal)
                .getBytes(StandardCharsets.UTF_8), 0644);
        var out = new LinkedHashMap<String, String>();
        out.put("/etc/hostname", etc + "/hostname");
        out.put("/etc/hosts", etc + "/hosts");
        out.put("/etc/resolv.conf", etc + "/resolv.conf");
        return out;
    }

    private String text(String path) {
        return files.read(path).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
    }
}
