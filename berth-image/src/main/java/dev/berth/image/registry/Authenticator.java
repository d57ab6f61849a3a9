package dev.berth.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.Credentials;
import dev.berth.image.store.ImageJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers a registry's {@code WWW-Authenticate} challenge: Basic with the credentials, or the
 * Bearer token flow (GET the realm with service and scope, with Basic credentials when there are
 * any, or POST an OAuth2 refresh-token grant for an identity token). Tokens are cached per scope
 * until shortly before they expire. Nothing here logs or reports a secret.
 */
final class Authenticator {
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;

    private final RegistryEndpoint endpoint;
    private final Credentials credentials;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile boolean basicScheme;

    Authenticator(RegistryEndpoint endpoint, Credentials credentials, HttpClient http, Duration timeout) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.http = http;
        this.timeout = timeout;
    }

    /** The Authorization header to send up front for {@code scope}, when one is known. */
    Optional<String> cachedAuthorization(String scope) {
        if (basicScheme && hasPassword()) {
            return Optional.of(basicHeader());
        }
        Token token = tokens.get(scope);
        return token != null && token.expires().isAfter(Instant.now()) ? Optional.of("Bearer " + token.value()) : Optional.empty();
    }

    /** Answers the challenges of a 401 for an operation needing {@code scope}; returns the Authorization header. */
    String respond(List<AuthChallenge> challenges, String scope, String what) {
        tokens.remove(scope);
        for (AuthChallenge challenge : challenges) {
            if (challenge.isBearer() && challenge.param("realm") != null) {
                return "Bearer " + fetchToken(challenge, scope, what).value();
            }
        }
        for (AuthChallenge challenge : challenges) {
            if (challenge.isBasic()) {
                if (!hasPassword()) {
                    throw unauthorized(what, "the registry requires a username and password and none were given");
                }
                if (basicScheme) {
                    throw unauthorized(what, "the registry rejected the username and password");
                }
                basicScheme = true;
                return basicHeader();
            }
        }
        throw unauthorized(what, "the registry asks for an authentication scheme Berth does not support");
    }

    /** Called when the answer to a challenge was rejected too. */
    BerthException rejected(String what) {
        return unauthorized(what, credentials == null
                ? "authentication required; no credentials were given for " + endpoint.host()
                : "the registry rejected the credentials for " + endpoint.host());
    }

    private Token fetchToken(AuthChallenge challenge, String scope, String what) {
        URI realm = URI.create(challenge.param("realm"));
        boolean sendsSecret = credentials != null && (hasPassword() || credentials.identityToken() != null);
        if (!"https".equalsIgnoreCase(realm.getScheme())) {
            boolean plainAllowed = "http".equalsIgnoreCase(realm.getScheme()) && realm.getHost() != null
                    && (RegistryEndpoint.isLoopback(realm.getHost()) || (endpoint.plainHttp() && !sendsSecret));
            if (!plainAllowed) {
                throw unauthorized(what, "the token realm " + realm.getScheme() + "://" + realm.getHost()
                        + " is not HTTPS; refusing to use it");
            }
        }
        var scopes = new ArrayList<String>();
        scopes.add(scope);
        String challengeScope = challenge.param("scope");
        if (challengeScope != null && !challengeScope.equals(scope)) {
            scopes.add(challengeScope);
        }
        String service = challenge.param("service");
        HttpRequest request = credentials != null && credentials.identityToken() != null
                ? refreshTokenGrant(realm, service, scopes)
                : tokenGet(realm, service, scopes);
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, what + ": the token service " + realm.getHost()
                    + " of registry " + endpoint.host() + " failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            throw RegistryErrors.interrupted(what);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            RegistryErrors.discard(response);
            throw rejected(what);
        }
        if (response.statusCode() != 200) {
            RegistryErrors.discard(response);
            throw new BerthException(ErrorCode.BACKEND_ERROR, what + ": the token service " + realm.getHost()
                    + " of registry " + endpoint.host() + " answered HTTP " + response.statusCode());
        }
        Token token = parseToken(response, what);
        tokens.put(scope, token);
        return token;
    }

    private HttpRequest tokenGet(URI realm, String service, List<String> scopes) {
        var query = new StringBuilder(realm.getRawQuery() == null ? "" : realm.getRawQuery());
        if (service != null) {
            appendParam(query, "service", service);
        }
        scopes.forEach(s -> appendParam(query, "scope", s));
        URI uri = URI.create(realm.getScheme() + "://" + realm.getRawAuthority()
                + (realm.getRawPath() == null ? "" : realm.getRawPath()) + (query.isEmpty() ? "" : "?" + query));
        var builder = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (hasPassword()) {
            builder.header("Authorization", basicHeader());
        }
        return builder.build();
    }

    private HttpRequest refreshTokenGrant(URI realm, String service, List<String> scopes) {
        var form = new StringBuilder();
        appendParam(form, "grant_type", "refresh_token");
        appendParam(form, "refresh_token", credentials.identityToken());
        appendParam(form, "client_id", "berth");
        if (service != null) {
            appendParam(form, "service", service);
        }
        appendParam(form, "scope", String.join(" ", scopes));
        return HttpRequest.newBuilder(realm).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
    }

    private Token parseToken(HttpResponse<InputStream> response, String what) {
        JsonNode root;
        try (InputStream body = response.body()) {
            root = ImageJson.mapper().readTree(body.readNBytes(MAX_TOKEN_RESPONSE));
        } catch (IOException e) {
            // The parser's message could quote the token: report the failure only.
            throw new BerthException(ErrorCode.BACKEND_ERROR, what + ": the token service of registry "
                    + endpoint.host() + " sent an unreadable answer");
        }
        String value = root == null ? null : root.path("token").asText(root.path("access_token").asText(null));
        if (value == null || value.isEmpty()) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, what + ": the token service of registry "
                    + endpoint.host() + " sent no token");
        }
        long seconds = root.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds());
        Duration lifetime = Duration.ofSeconds(Math.max(seconds, 10));
        // Renew a little early so a token does not expire between check and use.
        return new Token(value, Instant.now().plus(lifetime.minus(lifetime.dividedBy(10))));
    }

    private static void appendParam(StringBuilder query, String name, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private boolean hasPassword() {
        return credentials != null && credentials.username() != null && credentials.password() != null;
    }

    private String basicHeader() {
        String pair = credentials.username() + ":" + credentials.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private BerthException unauthorized(String what, String why) {
        return new BerthException(ErrorCode.BACKEND_ERROR, what + ": " + why + " (registry " + endpoint.host() + ")");
    }

    /** A bearer token; its value is never printed. */
    private record Token(String value, Instant expires) {
        @Override
        public String toString() {
            return "Token[expires=" + expires + ", value=***]";
        }
    }

    @Override
    public String toString() {
        return "Authenticator[" + endpoint.host() + ", credentials=" + (credentials == null ? "none" : "***") + "]";
    }
}
