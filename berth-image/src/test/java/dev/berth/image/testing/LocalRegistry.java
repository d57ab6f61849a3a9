package dev.berth.image.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The real test registry (Debian docker-registry) on 127.0.0.1:5000, started by
 * scripts/start-registry.sh when it does not answer, plus pushing OCI layouts to it with skopeo.
 */
public final class LocalRegistry {
    public static final String ADDRESS = "127.0.0.1:5000";

    private LocalRegistry() {
    }

    /** Makes sure the registry answers; fails the test with the script's output when it cannot. */
    public static void ensureRunning() {
        if (answers("http://" + ADDRESS + "/v2/")) {
            return;
        }
        Path script = repositoryRoot().resolve("scripts/start-registry.sh");
        Processes.runOrFail(Duration.ofSeconds(60), List.of("bash", script.toString()));
    }

    /** A repository name no other test run uses. */
    public static String uniqueRepository(String prefix) {
        return "berth-test/" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code skopeo copy --preserve-digests [--all] oci:DIR:tag docker://target} over plain HTTP (plain layers stay plain). */
    public static void skopeoPush(Path layout, String tag, String target, boolean all) {
        var command = new java.util.ArrayList<>(List.of("skopeo", "copy", "--quiet", "--preserve-digests", "--dest-tls-verify=false"));
        if (all) {
            command.add("--all");
        }
        command.add("oci:" + layout + ":" + tag);
        command.add("docker://" + target);
        Processes.runOrFail(Duration.ofMinutes(3), command);
    }

    public static boolean answers(String url) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            var response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 || response.statusCode() == 401;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new UncheckedIOException(new IOException("cannot find the repository root from " + Path.of("").toAbsolutePath()));
        }
        return dir;
    }
}
