package dev.berth.oci.backend;

import dev.berth.net.NetworkFabric;
import dev.berth.oci.bundle.EtcFiles;
import dev.berth.oci.transport.HostFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps each workload's /etc/hosts naming its peers: written at create, and rewritten in place
 * for every peer on the same networks when a workload joins or leaves, so names resolve both ways.
 */
final class HostsFiles {
    private static final System.Logger LOG = System.getLogger(HostsFiles.class.getName());

    private final Bundles bundles;
    private final HostFiles files;
    private final NetworkFabric fabric;
    private final String hostAlias;
    private final java.util.concurrent.locks.ReentrantLock refreshing = new java.util.concurrent.locks.ReentrantLock();

    HostsFiles(Bundles bundles, HostFiles files, NetworkFabric fabric, String hostAlias) {
        this.bundles = bundles;
        this.files = files;
        this.fabric = fabric;
        this.hostAlias = hostAlias;
    }

    static String path(String bundle) {
        return bundle + "/etc/hosts";
    }

    /** The hosts file of workload {@code id} with hostname {@code hostname}, attached as {@code attachment} (may be null). */
    String render(String hostname, Optional<NetworkFabric.Attachment> attachment, boolean hostAccess) {
        var entries = new ArrayList<EtcFiles.HostEntry>();
        String ownIp = attachment.map(NetworkFabric.Attachment::primaryIp).orElse(null);
        if (attachment.isPresent() && fabric != null) {
            for (NetworkFabric.Endpoint endpoint : attachment.get().endpoints()) {
                for (NetworkFabric.Peer peer : fabric.peers(endpoint.network())) {
                    if (!peer.workloadId().equals(attachment.get().workloadId()) && peer.ip() != null) {
                        var names = new ArrayList<String>();
                        names.add(peer.hostname());
                        names.addAll(peer.aliases());
                        entries.add(new EtcFiles.HostEntry(peer.ip(), names));
                    }
                }
            }
            String gateway = attachment.get().endpoints().isEmpty() ? null : attachment.get().endpoints().getFirst().gateway();
            if (hostAccess && gateway != null) {
                entries.add(new EtcFiles.HostEntry(gateway, List.of(hostAlias, "host.docker.internal")));
            }
        }
        return EtcFiles.hosts(hostname, ownIp, entries);
    }

    /**
     * Rewrites the hosts file of every workload of this backend on {@code networks} but
     * {@code exceptId} (null: all of them, the caller's own included). One refresh at a time: each
     * renders from the fabric's current peers, so a later refresh never loses to an earlier one.
     */
    void refreshPeers(List<String> networks, String exceptId) {
        if (fabric == null) {
            return;
        }
        refreshing.lock();
        try {
            Set<String> ids = new LinkedHashSet<>();
            for (String network : networks) {
                fabric.peers(network).forEach(p -> ids.add(p.workloadId()));
            }
            ids.remove(exceptId);
            rewrite(ids);
        } finally {
            refreshing.unlock();
        }
    }

    private void rewrite(Set<String> ids) {
        for (String id : ids) {
            try {
                var meta = bundles.meta(id);
                if (meta.isEmpty()) {
                    continue; // another data dir's workload on a shared bridge: not ours to write
                }
                String hostname = meta.get().workload();
                String text = render(hostname, fabric.attachment(id), meta.get().hostAccess());
                files.overwriteInPlace(path(bundles.dir(id)), text.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot refresh /etc/hosts of " + id + ": " + e.getMessage());
            }
        }
    }
}
