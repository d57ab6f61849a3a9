package dev.berth.image.registry;

import dev.berth.image.ref.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Protocol step: does the registry already have a blob ({@code HEAD /v2/<name>/blobs/<digest>})? */
final class BlobChecker {
    private final RegistryClient client;

    BlobChecker(RegistryClient client) {
        this.client = client;
    }

    boolean exists(String repository, Digest digest, String scope) {
        String what = "checking blob " + digest + " in " + repository;
        HttpRequest request = client.request("/v2/" + repository + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<InputStream> response = client.send(request, scope, what);
            RegistryErrors.discard(response);
            return switch (response.statusCode()) {
                case 200, 307, 302 -> true; // a redirect points at the stored blob
                case 404 -> false;
                default -> throw RegistryErrors.status(client.endpoint(), what, response);
            };
        } catch (IOException e) {
            throw RegistryErrors.transport(client.endpoint(), what, e);
        }
    }
}
