package dev.berth.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.docker.api.DockerClient;
import java.nio.file.Path;
import java.util.List;

/**
 * The bare Engine API call sequences behind the benchmark's scenarios, over one kept-alive
 * connection and with no engine around them: the best any client could do, so the report shows
 * how much of the gap to the docker CLI is Berth's and how much is the runtime's.
 */
final class RawApi implements AutoCloseable {
    private final DockerClient client;
    private int counter;

    private RawApi(DockerClient client) {
        this.client = client;
    }

    static RawApi open() {
        return new RawApi(DockerClient.connect(Path.of("/var/run/docker.sock")));
    }

    void runTrue(String image) {
        String id = client.containers().create("bench-raw-" + counter++, body(image, List.of("true")));
        client.containers().start(id);
        client.containers().waitFor(id, "not-running");
        client.containers().remove(id, true, true);
    }

    void runInspectRemove(String image) {
        String id = client.containers().create("bench-raw-" + counter++, body(image, List.of("sleep", "300")));
        client.containers().start(id);
        if (client.containers().inspect(id).path("NetworkSettings").path("IPAddress").asText().isEmpty()) {
            throw new IllegalStateException("no IP for " + id);
        }
        client.containers().remove(id, true, true);
    }

    private static ObjectNode body(String image, List<String> cmd) {
        var body = JsonNodeFactory.instance.objectNode().put("Image", image);
        cmd.forEach(body.putArray("Cmd")::add);
        return body;
    }

    @Override
    public void close() {
        client.close();
    }
}
