package dev.berth.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.store.ImageJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * Turns transport failures and registry error responses into {@link BerthException}s that name
 * the registry and the operation. Messages never contain request headers (credentials, tokens).
 */
final class RegistryErrors {
    private static final int MAX_ERROR_BODY = 4096;

    private RegistryErrors() {
    }

    /** Whether {@code e} means the registry could not be reached at all (not worth a retry). */
    static boolean isUnreachable(IOException e) {
        return e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                || e instanceof UnknownHostException || e.getCause() instanceof UnresolvedAddressException
                || e instanceof SSLException;
    }

    static BerthException unreachable(RegistryEndpoint endpoint, IOException e) {
        String cause = switch (e) {
            case HttpConnectTimeoutException t -> "connect timed out";
            case ConnectException c -> c.getCause() instanceof UnresolvedAddressException
                    ? "unknown host" : "connection refused" + detail(c);
            case UnknownHostException u -> "unknown host";
            case SSLException s -> "TLS handshake failed: " + s.getMessage()
                    + (endpoint.plainHttp() ? "" : " (plain-HTTP registries must be marked insecure)");
            default -> e.getClass().getSimpleName() + detail(e);
        };
        return new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "registry " + endpoint.host() + " is unreachable (host "
                + endpoint.hostname() + ", port " + endpoint.port() + "): " + cause, e);
    }

    static BerthException transport(RegistryEndpoint endpoint, String what, IOException e) {
        if (isUnreachable(e)) {
            return unreachable(endpoint, e);
        }
        return new BerthException(ErrorCode.BACKEND_ERROR, what + " from registry " + endpoint.host() + " failed: "
                + e.getClass().getSimpleName() + detail(e), e);
    }

    static BerthException interrupted(String what) {
        Thread.currentThread().interrupt();
        return new BerthException(ErrorCode.INTERNAL, what + " was interrupted");
    }

    /** An unexpected status: reads (a bounded part of) the body for the registry's own error codes. */
    static BerthException status(RegistryEndpoint endpoint, String what, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        String errors = registryErrors(response);
        ErrorCode code = switch (status) {
            case 401, 403 -> ErrorCode.BACKEND_ERROR;
            case 404 -> ErrorCode.IMAGE_NOT_FOUND;
            case 429, 502, 503, 504 -> ErrorCode.BACKEND_UNAVAILABLE;
            default -> ErrorCode.BACKEND_ERROR;
        };
        String hint = switch (status) {
            case 401 -> " (authentication required or credentials rejected)";
            case 403 -> " (access denied)";
            case 404 -> " (not found)";
            case 429 -> " (rate limited)";
            default -> "";
        };
        return new BerthException(code, what + ": registry " + endpoint.host() + " answered HTTP " + status + hint
                + (errors.isEmpty() ? "" : ": " + errors));
    }

    private static String registryErrors(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
            JsonNode root = ImageJson.mapper().readTree(bytes);
            var out = new StringBuilder();
            for (JsonNode error : root.path("errors")) {
                if (!out.isEmpty()) {
                    out.append("; ");
                }
                out.append(error.path("code").asText("?")).append(' ').append(error.path("message").asText(""));
            }
            return out.toString().strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static void discard(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            // The connection is dropped instead of reused; nothing else to do.
        }
    }

    private static String detail(Throwable e) {
        return e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
