package dev.berth.image.registry;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Digest;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.Manifest;
import dev.berth.image.store.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Protocol step: fetch a manifest or index ({@code GET /v2/<name>/manifests/<reference>}) with
 * the Accept headers for OCI and Docker v2 schema 2 types, and establish its digest: checked
 * against the expected one when pulling by digest, else computed from the body and checked
 * against {@code Docker-Content-Digest} when the registry sends one.
 */
final class ManifestPuller {
    private final RegistryClient client;

    ManifestPuller(RegistryClient client) {
        this.client = client;
    }

    /** A fetched manifest: its exact bytes (stored as they are), media type, digest and parsed form. */
    record Fetched(byte[] body, String mediaType, Digest digest, Manifest manifest) {
    }

    Fetched pull(String repository, String reference, Digest expected) {
        String what = "pulling manifest " + repository + ":" + reference;
        HttpRequest request = client.request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", MediaTypes.MANIFEST_ACCEPT).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, Scopes.pull(repository), what);
            if (response.statusCode() != 200) {
                throw RegistryErrors.status(client.endpoint(), what, response);
            }
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(ImageStore.MAX_DOCUMENT_BYTES + 1);
            }
            if (body.length > ImageStore.MAX_DOCUMENT_BYTES) {
                throw new BerthException(ErrorCode.BACKEND_ERROR, what + ": the manifest is larger than "
                        + ImageStore.MAX_DOCUMENT_BYTES + " bytes");
            }
            Digest digest = digestOf(body, expected, response.headers().firstValue("Docker-Content-Digest"), what);
            Manifest manifest = Manifest.parse(body, response.headers().firstValue("Content-Type").orElse(null));
            return new Fetched(body, manifest.mediaType(), digest, manifest);
        } catch (IOException e) {
            throw RegistryErrors.transport(client.endpoint(), what, e);
        }
    }

    /** The digest the registry reports for {@code reference} without fetching the body; empty when it reports none. */
    Optional<Digest> head(String repository, String reference) {
        String what = "checking manifest " + repository + ":" + reference;
        HttpRequest request = client.request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", MediaTypes.MANIFEST_ACCEPT).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<InputStream> response = client.send(request, Scopes.pull(repository), what);
            RegistryErrors.discard(response);
            if (response.statusCode() != 200) {
                throw RegistryErrors.status(client.endpoint(), what, response);
            }
            return response.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse);
        } catch (IOException e) {
            throw RegistryErrors.transport(client.endpoint(), what, e);
        }
    }

    private static Digest digestOf(byte[] body, Digest expected, Optional<String> header, String what) {
        if (expected != null) {
            Digest actual = expected.sameAlgorithm(rehash(expected, body));
            if (!actual.equals(expected)) {
                throw new BerthException(ErrorCode.BACKEND_ERROR, what + ": digest mismatch: the manifest hashes to "
                        + actual + ", not " + expected);
            }
            return expected;
        }
        Digest actual = Digest.sha256(body);
        if (header.isPresent() && Digest.isDigest(header.get())) {
            Digest reported = Digest.parse(header.get());
            Digest comparable = reported.algorithm().equals("sha256") ? actual : reported.sameAlgorithm(rehash(reported, body));
            if (!comparable.equals(reported)) {
                throw new BerthException(ErrorCode.BACKEND_ERROR, what + ": digest mismatch: the registry reports "
                        + reported + " but the manifest hashes to " + comparable);
            }
        }
        return actual;
    }

    private static MessageDigest rehash(Digest algorithmOf, byte[] body) {
        MessageDigest hasher = algorithmOf.newHasher();
        hasher.update(body);
        return hasher;
    }
}
