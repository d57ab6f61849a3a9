package dev.berth.docker.api;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A connected client per real engine plus an imported busybox test image; skips if the socket is absent. */
final class EngineFixture {
    static final String LABEL = "dev.berth.test";
    static final String LABEL_VALUE = "apitest";
    static final String IMAGE = "berth-apitest:1";
    static final Map<String, Path> SOCKETS = Map.of(
            "docker", Path.of("/var/run/docker.sock"),
            "podman", Path.of("/run/podman/podman.sock"));

    private static final Map<String, DockerClient> CLIENTS = new ConcurrentHashMap<>();

    private EngineFixture() {
    }

    static Path socket(String engine) {
        Path s = SOCKETS.get(engine);
        assumeTrue(Files.exists(s), engine + " socket " + s + " not present");
        return s;
    }

    static DockerClient client(String engine) {
        Path s = socket(engine);
        return CLIENTS.computeIfAbsent(engine, e -> {
            DockerClient c = DockerClient.connect(s);
            importImage(c);
            return c;
        });
    }

    static byte[] rootfs() {
        try {
            return new TarBuilder().dir("bin").dir("tmp")
                    .file("bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")), 0755)
                    .symlink("bin/sh", "busybox").symlink("bin/sleep", "busybox")
                    .symlink("bin/echo", "busybox").symlink("bin/cat", "busybox")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void importImage(DockerClient c) {
        c.images().importRootfs(new ByteArrayInputStream(rootfs()), "berth-apitest", "1",
                List.of("CMD [\"/bin/sh\"]", "LABEL " + LABEL + "=" + LABEL_VALUE), null);
    }

    static ObjectNode container(DockerClient c, boolean openStdin, String... cmd) {
        ObjectNode body = c.json().createObjectNode();
        body.put("Image", IMAGE);
        var arr = body.putArray("Cmd");
        for (String s : cmd) {
            arr.add(s);
        }
        body.putObject("Labels").put(LABEL, LABEL_VALUE);
        if (openStdin) {
            body.put("OpenStdin", true).put("StdinOnce", true).put("AttachStdin", true);
        }
        // No network: keeps the tests independent of bridge/CNI setup on the host.
        body.putObject("HostConfig").put("NetworkMode", "none");
        return body;
    }

    /** Removes everything the tests labelled, then the image, then closes the clients. */
    static void cleanUp() {
        CLIENTS.forEach((engine, c) -> {
            try {
                for (JsonNode ct : c.containers().list(true, Map.of(LABEL, LABEL_VALUE))) {
                    c.containers().remove(ct.path("Id").asText(), true, true);
                }
                for (JsonNode n : c.networks().list(Map.of(LABEL, LABEL_VALUE))) {
                    c.networks().remove(n.path("Id").asText());
                }
                c.images().remove(IMAGE, true);
            } finally {
                c.close();
            }
        });
        CLIENTS.clear();
    }
}
