package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.model.Credentials;
import dev.berth.api.spec.PullPolicy;
import dev.berth.image.ImageService;
import dev.berth.image.ref.Platform;
import dev.berth.image.store.ImageStore;
import dev.berth.image.store.StoredImage;
import dev.berth.image.testing.LocalRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second real registry (Debian docker-registry) on a free 127.0.0.1 port with htpasswd (Basic) auth.
 * The bcrypt hash below is of the test password, made once with crypt(3) (no htpasswd binary is
 * installed here).
 */
class BasicAuthRegistryTest {
    /** A free loopback port, so two test runs (or a developer's registry) never collide. */
    private static final String ADDRESS = "127.0.0.1:" + freePort();

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
    private static final String USER = "berthuser";
    private static final String PASSWORD = "berth-test-pw";
    private static final String HTPASSWD = USER + ":$2b$05$.oHdzuzTlrg7meQGaYCuZ.r8pYCYziX6Kaj/FNzi8FN6Epcq8tCYS\n";

    @TempDir
    static Path registryDir;
    @TempDir
    Path tmp;

    private static Process registry;

    @BeforeAll
    static void startRegistry() throws IOException, InterruptedException {
        Files.writeString(registryDir.resolve("htpasswd"), HTPASSWD);
        Files.writeString(registryDir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: %s
                auth:
                  htpasswd:
                    realm: berth-test
                    path: %s
                """.formatted(registryDir.resolve("data"), ADDRESS, registryDir.resolve("htpasswd")));
        registry = new ProcessBuilder("docker-registry", "serve", registryDir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(registryDir.resolve("registry.log").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!LocalRegistry.answers("http://" + ADDRESS + "/v2/")) {
            if (!registry.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("docker-registry on " + ADDRESS + " did not start: "
                        + Files.readString(registryDir.resolve("registry.log")));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.destroy();
            registry.waitFor();
        }
    }

    private ImageService service(String store, CredentialResolver resolver) {
        return new ImageService(new ImageStore(tmp.resolve(store)), resolver, RegistryOptions.defaults());
    }

    private StoredImage pushTestImage(String ref) throws IOException {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("motd"), "hello " + ref + "\n");
        try (var source = service("source", CredentialResolver.none())) {
            StoredImage image = source.importRootfs(tmp.resolve("rootfs"), ref, List.of("CMD [\"/bin/true\"]"));
            source.push(ref, Credentials.basic(USER, PASSWORD, ADDRESS));
            return image;
        }
    }

    @Test
    void pushAndPullWithBasicCredentials() throws IOException {
        String ref = ADDRESS + "/private/app:1";
        StoredImage pushed = pushTestImage(ref);
        try (var images = service("store", CredentialResolver.none())) {
            StoredImage pulled = images.pull(ref, PullPolicy.ALWAYS, Credentials.basic(USER, PASSWORD, null),
                    Platform.host(), null);
            assertThat(pulled.manifestDigest()).isEqualTo(pushed.manifestDigest());
        }
    }

    @Test
    void credentialsComeFromADockerStyleConfigFile() throws IOException {
        String ref = ADDRESS + "/private/fromfile:1";
        StoredImage pushed = pushTestImage(ref);
        Path auth = tmp.resolve("auth.json");
        Files.writeString(auth, "{\"auths\":{\"http://" + ADDRESS + "\":{\"auth\":\"" + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        try (var images = service("store", new CredentialResolver(List.of(auth)))) {
            assertThat(images.pull(ref, PullPolicy.ALWAYS, null, Platform.host(), null).manifestDigest())
                    .isEqualTo(pushed.manifestDigest());
        }
    }

    @Test
    void missingOrWrongCredentialsFailClearlyWithoutTheSecret() {
        try (var images = service("store", CredentialResolver.none())) {
            assertThatThrownBy(() -> images.pull(ADDRESS + "/private/none:1", PullPolicy.ALWAYS, null, Platform.host(), null))
                    .isInstanceOf(BerthException.class)
                    .hasMessageContaining("requires a username and password")
                    .hasMessageContaining(ADDRESS);
            var wrong = Credentials.basic(USER, "not-the-password-42", null);
            assertThatThrownBy(() -> images.pull(ADDRESS + "/private/none:1", PullPolicy.ALWAYS, wrong, Platform.host(), null))
                    .isInstanceOf(BerthException.class)
                    .hasMessageContaining("rejected")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password-42"));
        }
    }
}
