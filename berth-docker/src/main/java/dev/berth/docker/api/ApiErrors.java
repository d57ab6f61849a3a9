package dev.berth.docker.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Turns an error response into the matching exception, keeping the daemon's own message. */
final class ApiErrors {
    private ApiErrors() {
    }

    static DockerApiException from(int status, String reason, byte[] body) {
        return DockerApiException.of(status, message(status, reason, body));
    }

    static String message(int status, String reason, byte[] body) {
        if (body.length > 0) {
            try {
                JsonNode n = Json.MAPPER.readTree(body);
                if (n != null && n.hasNonNull("message")) {
                    return n.get("message").asText();
                }
            } catch (IOException ignored) {
                // Not JSON (some proxies answer in plain text); use it verbatim below.
            }
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                return text;
            }
        }
        return reason == null || reason.isEmpty() ? "HTTP " + status : reason;
    }
}
