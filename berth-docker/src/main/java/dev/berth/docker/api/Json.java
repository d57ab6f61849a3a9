package dev.berth.docker.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one ObjectMapper of this package (thread-safe once configured, expensive to create). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final ObjectReader TREE_READER = MAPPER.readerFor(JsonNode.class);

    private Json() {
    }

    static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return MAPPER.missingNode();
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new DockerException("Engine sent malformed JSON: " + preview(bytes), e);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String preview(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 200), java.nio.charset.StandardCharsets.UTF_8);
        return bytes.length > 200 ? s + "..." : s;
    }
}
