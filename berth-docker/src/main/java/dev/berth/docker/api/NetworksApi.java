package dev.berth.docker.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** {@code /networks/...}. Obtain from {@link DockerClient#networks()}. */
public final class NetworksApi {
    private final Transport t;

    NetworksApi(Transport t) {
        this.t = t;
    }

    /**
     * Creates a bridge network.
     *
     * @param internal no route to the outside world
     * @param subnet   CIDR such as {@code 10.89.7.0/24}, or null to let the engine pick
     * @return the network id
     */
    public String create(String name, boolean internal, Map<String, String> labels, String subnet) {
        ObjectNode body = Json.object();
        body.put("Name", name).put("Driver", "bridge").put("Internal", internal).put("CheckDuplicate", true);
        if (labels != null && !labels.isEmpty()) {
            ObjectNode l = body.putObject("Labels");
            labels.forEach(l::put);
        }
        if (subnet != null) {
            body.putObject("IPAM").put("Driver", "default").putArray("Config").addObject().put("Subnet", subnet);
        }
        return t.json("POST", "/networks/create", null, body).path("Id").asText();
    }

    /** @throws NotFoundException for an unknown network */
    public JsonNode inspect(String idOrName) {
        return t.get("/networks/" + Query.path(idOrName), null);
    }

    public JsonNode list(Map<String, String> labels) {
        Query q = Query.of();
        if (labels != null && !labels.isEmpty()) {
            q.filters(Map.of("label", Query.labelFilter(labels)));
        }
        return t.get("/networks", q);
    }

    /** @return false when there was no such network */
    public boolean remove(String idOrName) {
        try {
            t.send("DELETE", "/networks/" + Query.path(idOrName), null, null);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** @param aliases DNS aliases of the container on this network; may be null */
    public void connect(String network, String container, List<String> aliases) {
        ObjectNode body = Json.object().put("Container", container);
        if (aliases != null && !aliases.isEmpty()) {
            var arr = body.putObject("EndpointConfig").putArray("Aliases");
            aliases.forEach(arr::add);
        }
        t.send("POST", "/networks/" + Query.path(network) + "/connect", null, body);
    }

    public void disconnect(String network, String container, boolean force) {
        t.send("POST", "/networks/" + Query.path(network) + "/disconnect", null,
                Json.object().put("Container", container).put("Force", force));
    }
}
