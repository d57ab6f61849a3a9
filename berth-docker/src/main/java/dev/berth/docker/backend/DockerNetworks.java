package dev.berth.docker.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import dev.berth.api.spi.NetworkOps;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.docker.api.ConflictException;
import dev.berth.docker.api.DockerClient;
import dev.berth.docker.api.DockerException;
import dev.berth.docker.api.NotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/** Berth networks as bridge networks of the same name, labelled with their owner. */
final class DockerNetworks implements NetworkOps {
    private final String backend;
    private final DockerClient client;

    DockerNetworks(String backend, DockerClient client) {
        this.backend = backend;
        this.client = client;
    }

    @Override
    public NetworkInfo ensure(NetworkSpec spec, OwnerLabels owner) {
        Optional<JsonNode> existing = inspect(spec.name());
        if (existing.isEmpty()) {
            var labels = new HashMap<>(owner.asMap());
            labels.put(OwnerLabels.NETWORK, spec.name());
            try {
                client.networks().create(spec.name(), spec.internal(), labels, spec.subnet());
            } catch (ConflictException e) {
                // Created concurrently by another workload of ours: fall through to the checks below.
            } catch (DockerException e) {
                throw DockerErrors.translate(backend, "create network " + spec.name(), e);
            }
            existing = inspect(spec.name());
        }
        JsonNode net = existing.orElseThrow(() -> new BerthException(ErrorCode.BACKEND_ERROR,
                backend + ": network " + spec.name() + " vanished right after its creation"));
        String netOwner = net.path("Labels").path(OwnerLabels.OWNER).asText(null);
        if (!owner.ownerId().equals(netOwner)) {
            throw new BerthException(ErrorCode.CONFLICT, backend + ": a network named '" + spec.name()
                    + "' exists and is not owned by this Berth engine (owner: " + (netOwner == null ? "none" : netOwner) + ")");
        }
        if (net.path("Internal").asBoolean() != spec.internal()) {
            throw new BerthException(ErrorCode.CONFLICT, backend + ": network '" + spec.name() + "' exists with internal="
                    + net.path("Internal").asBoolean() + ", not " + spec.internal());
        }
        return info(net);
    }

    private Optional<JsonNode> inspect(String name) {
        try {
            JsonNode net = client.networks().inspect(name);
            // Docker matches ids by prefix too; only an exact name is our network.
            return name.equals(net.path("Name").asText()) ? Optional.of(net) : Optional.empty();
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw DockerErrors.translate(backend, "inspect network " + name, e);
        }
    }

    @Override
    public boolean remove(String name, String ownerId) {
        Optional<JsonNode> net = inspect(name);
        if (net.isEmpty()) {
            return false;
        }
        String netOwner = net.get().path("Labels").path(OwnerLabels.OWNER).asText(null);
        if (!ownerId.equals(netOwner)) {
            throw new BerthException(ErrorCode.CONFLICT, backend + ": network '" + name + "' is not owned by this Berth engine; not removed");
        }
        return DockerErrors.call(backend, "remove network " + name, () -> client.networks().remove(net.get().path("Id").asText()));
    }

    @Override
    public List<NetworkInfo> list() {
        var out = new ArrayList<NetworkInfo>();
        var filter = new HashMap<String, String>();
        filter.put(OwnerLabels.OWNER, null);
        DockerErrors.call(backend, "list networks", () -> client.networks().list(filter)).forEach(n -> out.add(info(n)));
        return out;
    }

    private NetworkInfo info(JsonNode net) {
        JsonNode config = net.path("IPAM").path("Config");
        JsonNode first = config.isArray() && !config.isEmpty() ? config.get(0) : null;
        return new NetworkInfo(net.path("Name").asText(), backend, net.path("Id").asText(), net.path("Internal").asBoolean(),
                first == null ? null : first.path("Subnet").asText(null), first == null ? null : first.path("Gateway").asText(null));
    }
}
