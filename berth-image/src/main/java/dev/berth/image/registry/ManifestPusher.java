package dev.berth.image.registry;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Protocol step: {@code PUT /v2/<name>/manifests/<tag-or-digest>} with the manifest's exact bytes. */
final class ManifestPusher {
    private final RegistryClient client;

    ManifestPusher(RegistryClient client) {
        this.client = client;
    }

    /** Pushes {@code body}; returns its digest, checked against what the registry reports. */
    Digest push(String repository, String reference, byte[] body, String mediaType) {
        String what = "pushing manifest " + repository + ":" + reference;
        Digest digest = Digest.sha256(body);
        HttpRequest request = client.request("/v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<InputStream> response = client.send(request, Scopes.push(repository), what);
            if (response.statusCode() != 201 && response.statusCode() != 200) {
                throw RegistryErrors.status(client.endpoint(), what, response);
            }
            RegistryErrors.discard(response);
            var reported = response.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse);
            if (reported.isPresent() && reported.get().algorithm().equals("sha256") && !reported.get().equals(digest)) {
                throw new BerthException(ErrorCode.BACKEND_ERROR, what + ": the registry stored it as " + reported.get()
                        + ", not " + digest);
            }
            return digest;
        } catch (IOException e) {
            throw RegistryErrors.transport(client.endpoint(), what, e);
        }
    }
}
