package dev.berth.image.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.Credentials;
import dev.berth.image.ref.ImageReference;
import dev.berth.image.store.ImageJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the credentials for a registry: the ones given with the request (when they name no
 * server or this one), then each credential file in order. Files have Docker's
 * {@code config.json} shape: {@code {"auths": {"host": {"auth": base64(user:pass)}}}} or
 * {@code username}/{@code password}/{@code identitytoken} fields. Credential helpers
 * ({@code credsStore}, {@code credHelpers}) are not run.
 *
 * <p>Error messages name the file, never its content.
 */
public final class CredentialResolver {
    private final List<Path> files;

    /** Files are read on every lookup (in order), so edits apply without restarting. Missing files are skipped. */
    public CredentialResolver(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /** {@code $BERTH_DATA_DIR/auth.json} (when the variable is set), then Docker's config ({@code $DOCKER_CONFIG} or {@code ~/.docker}). */
    public static CredentialResolver fromEnvironment() {
        var files = new ArrayList<Path>();
        String dataDir = System.getenv("BERTH_DATA_DIR");
        if (dataDir != null && !dataDir.isBlank()) {
            files.add(Path.of(dataDir, "auth.json"));
        }
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        files.add(dockerConfig != null && !dockerConfig.isBlank()
                ? Path.of(dockerConfig, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json"));
        return new CredentialResolver(files);
    }

    public static CredentialResolver none() {
        return new CredentialResolver(List.of());
    }

    /** The credentials to use for {@code registry} (a normalised registry name such as {@code docker.io}). */
    public Optional<Credentials> resolve(String registry, Credentials explicit) {
        String wanted = normalizeServer(registry);
        if (explicit != null && (explicit.serverAddress() == null || explicit.serverAddress().isBlank()
                || normalizeServer(explicit.serverAddress()).equals(wanted))) {
            return Optional.of(explicit);
        }
        for (Path file : files) {
            Optional<Credentials> found = fromFile(file, wanted);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Credentials> fromFile(Path file, String wanted) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read credential file " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
        JsonNode auths;
        try {
            auths = ImageJson.mapper().readTree(bytes).path("auths");
        } catch (JsonProcessingException e) {
            // The parser's message may quote the file's content: only the position is kept.
            var where = e.getLocation();
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "credential file " + file + " is not valid JSON"
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read credential file " + file);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.properties().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (normalizeServer(entry.getKey()).equals(wanted)) {
                return Optional.ofNullable(credentials(entry.getValue(), entry.getKey(), file));
            }
        }
        return Optional.empty();
    }

    private static Credentials credentials(JsonNode node, String server, Path file) {
        String username = node.path("username").asText(null);
        String password = node.path("password").asText(null);
        String auth = node.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "credential file " + file + ": the \"auth\" field for "
                        + server + " is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "credential file " + file + ": the \"auth\" field for "
                        + server + " is not base64(username:password)");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        String identityToken = node.path("identitytoken").asText(null);
        if (username == null && identityToken == null) {
            return null;
        }
        return new Credentials(username, password, server, identityToken);
    }

    /**
     * The registry a server address means: scheme and path dropped, lower-cased, and Docker
     * Hub's aliases ({@code https://index.docker.io/v1/}, {@code registry-1.docker.io}) folded
     * into {@code docker.io}.
     */
    static String normalizeServer(String server) {
        String s = server.strip().toLowerCase(Locale.ROOT);
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        return switch (s) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> ImageReference.DOCKER_HUB;
            default -> s;
        };
    }
}
