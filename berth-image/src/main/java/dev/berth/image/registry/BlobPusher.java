package dev.berth.image.registry;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.store.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Protocol step: upload one blob monolithically: {@code POST /v2/<name>/blobs/uploads/} opens a
 * session, {@code PUT <location>?digest=<digest>} sends the whole file (the registry checks the
 * digest). Credentials go to the upload location only when it is on the registry's own host.
 */
final class BlobPusher {
    /** Until the registry answers the PUT, i.e. including the upload itself. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);

    private final RegistryClient client;

    BlobPusher(RegistryClient client) {
        this.client = client;
    }

    void push(String repository, Descriptor blob, Path file) {
        String what = "pushing blob " + blob.digest() + " to " + repository;
        String scope = Scopes.push(repository);
        try {
            HttpResponse<InputStream> started = client.send(client.request("/v2/" + repository + "/blobs/uploads/")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), scope, what);
            if (started.statusCode() != 202) {
                throw RegistryErrors.status(client.endpoint(), what, started);
            }
            RegistryErrors.discard(started);
            String location = started.headers().firstValue("Location").orElseThrow(() -> new BerthException(
                    ErrorCode.BACKEND_ERROR, what + ": registry " + client.endpoint().host() + " opened an upload without a Location"));
            URI upload = started.request().uri().resolve(location);
            URI put = URI.create(upload + (upload.getRawQuery() == null ? "?" : "&") + "digest="
                    + URLEncoder.encode(blob.digest().toString(), StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(put).timeout(UPLOAD_TIMEOUT)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
            boolean sameHost = client.endpoint().base().getAuthority().equalsIgnoreCase(put.getAuthority());
            HttpResponse<InputStream> done = sameHost ? client.send(request, scope, what) : client.sendAnonymous(request, what);
            if (done.statusCode() != 201) {
                throw RegistryErrors.status(client.endpoint(), what, done);
            }
            RegistryErrors.discard(done);
        } catch (IOException e) {
            throw RegistryErrors.transport(client.endpoint(), what, e);
        }
    }
}
