package dev.berth.image.registry;

import java.time.Duration;
import java.util.Set;

/**
 * How Berth talks to registries.
 *
 * @param insecureRegistries      host[:port] names reached over plain HTTP besides loopback ones
 * @param maxConcurrentDownloads  layer downloads at once, over all pulls of one image service
 * @param connectTimeout          TCP/TLS connect timeout
 * @param requestTimeout          time until response headers arrive (bodies stream without limit)
 * @param stallTimeout            a response body that sends nothing for this long fails (and a blob download resumes)
 * @param maxAttempts             tries per blob download; later tries resume with a Range request
 */
public record RegistryOptions(Set<String> insecureRegistries, int maxConcurrentDownloads, Duration connectTimeout,
                              Duration requestTimeout, Duration stallTimeout, int maxAttempts) {
    public RegistryOptions {
        insecureRegistries = Set.copyOf(insecureRegistries);
        if (maxConcurrentDownloads < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("maxConcurrentDownloads and maxAttempts must be at least 1");
        }
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(Set.of(), 4, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60), 4);
    }

    public RegistryOptions withInsecureRegistries(Set<String> registries) {
        return new RegistryOptions(registries, maxConcurrentDownloads, connectTimeout, requestTimeout, stallTimeout, maxAttempts);
    }

    public RegistryOptions withMaxConcurrentDownloads(int max) {
        return new RegistryOptions(insecureRegistries, max, connectTimeout, requestTimeout, stallTimeout, maxAttempts);
    }

    public RegistryOptions withStallTimeout(Duration timeout) {
        return new RegistryOptions(insecureRegistries, maxConcurrentDownloads, connectTimeout, requestTimeout, timeout, maxAttempts);
    }
}
