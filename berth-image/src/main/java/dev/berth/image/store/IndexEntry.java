package dev.berth.image.store;

import dev.berth.image.ref.Digest;
import java.time.Instant;

/**
 * One name in the store index.
 *
 * @param name     the canonical reference ({@code docker.io/library/busybox:latest})
 * @param digest   what the name resolved to (index or manifest digest)
 * @param manifest the platform's image manifest digest
 * @param platform the platform chosen, {@code os/arch[/variant]}, or null when not known
 * @param updated  when the name was last written
 */
public record IndexEntry(String name, Digest digest, Digest manifest, String platform, Instant updated) {
}
