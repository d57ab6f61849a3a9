package dev.berth.image.registry;

import dev.berth.api.model.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP side of talking to one registry with one set of credentials: one
 * {@link HttpClient} (HTTP/1.1, redirects not followed automatically so that credentials never go
 * to a redirect target), authentication on 401 and one retry. The protocol steps
 * ({@link ManifestPuller}, {@link BlobPuller}, {@link BlobChecker}, {@link BlobPusher},
 * {@link ManifestPusher}) build on it.
 */
public final class RegistryClient implements AutoCloseable {
    private final RegistryEndpoint endpoint;
    private final HttpClient http;
    private final Authenticator authenticator;
    private final Duration requestTimeout;
    private final Duration stallTimeout;

    RegistryClient(RegistryEndpoint endpoint, Credentials credentials, RegistryOptions options) {
        this.endpoint = endpoint;
        this.requestTimeout = options.requestTimeout();
        this.stallTimeout = options.stallTimeout();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.authenticator = new Authenticator(endpoint, credentials, http, options.requestTimeout());
    }

    /** A client for the registry serving {@code registryHost} (host[:port] as API calls use it). */
    public static RegistryClient create(String registryHost, Credentials credentials, RegistryOptions options) {
        return new RegistryClient(RegistryEndpoint.of(registryHost, options.insecureRegistries()), credentials, options);
    }

    RegistryEndpoint endpoint() {
        return endpoint;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(endpoint.resolve(path)).timeout(requestTimeout);
    }

    /**
     * Sends {@code request} authenticated for {@code scope} (e.g. {@code repository:app:pull}):
     * with a cached token or Basic header when one is known, else anonymously, answering a 401
     * challenge once. A second 401 fails with a clear error; other statuses are the caller's.
     *
     * @throws IOException for transport failures other than an unreachable registry, so that
     *                     callers can retry or resume
     */
    HttpResponse<InputStream> send(HttpRequest request, String scope, String what) throws IOException {
        var cached = authenticator.cachedAuthorization(scope);
        HttpResponse<InputStream> response = exchange(cached.map(h -> withAuthorization(request, h)).orElse(request), what);
        if (response.statusCode() != 401) {
            return response;
        }
        var challenges = AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate"));
        RegistryErrors.discard(response);
        String authorization = authenticator.respond(challenges, scope, what);
        response = exchange(withAuthorization(request, authorization), what);
        if (response.statusCode() == 401) {
            RegistryErrors.discard(response);
            throw authenticator.rejected(what);
        }
        return response;
    }

    /** Sends without credentials: for redirect targets (blob storage), which must not see them. */
    HttpResponse<InputStream> sendAnonymous(HttpRequest request, String what) throws IOException {
        return exchange(request, what);
    }

    URI resolve(URI location) {
        return endpoint.base().resolve(location);
    }

    private HttpResponse<InputStream> exchange(HttpRequest request, String what) throws IOException {
        try {
            return http.send(request, StallTimeoutBody.handler(stallTimeout));
        } catch (IOException e) {
            if (RegistryErrors.isUnreachable(e)) {
                throw RegistryErrors.unreachable(endpoint, e);
            }
            throw e;
        } catch (InterruptedException e) {
            throw RegistryErrors.interrupted(what);
        }
    }

    private static HttpRequest withAuthorization(HttpRequest request, String authorization) {
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                .header("Authorization", authorization)
                .build();
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "RegistryClient[" + endpoint + ", " + authenticator + "]";
    }
}
