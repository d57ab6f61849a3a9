package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.model.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthAndCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void bearerChallengeKeepsCommasInsideQuotedValues() {
        var challenges = AuthChallenge.parse("Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                + "scope=\"repository:a/b:pull,push\"");
        assertThat(challenges).hasSize(1);
        assertThat(challenges.getFirst().isBearer()).isTrue();
        assertThat(challenges.getFirst().param("realm")).isEqualTo("https://auth.example/token");
        assertThat(challenges.getFirst().param("scope")).isEqualTo("repository:a/b:pull,push");
    }

    @Test
    void severalChallengesInOneHeaderAreSeparated() {
        var challenges = AuthChallenge.parse("Basic realm=\"Registry Realm\", Bearer realm=\"https://t\",service=\"s\"");
        assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("Basic", "Bearer");
        assertThat(challenges.get(1).param("service")).isEqualTo("s");
    }

    @Test
    void dockerConfigAuthFieldIsDecodedAndHubAliasesMatch() throws IOException {
        Path config = write("config.json", "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("hubuser:hub-secret".getBytes(StandardCharsets.UTF_8)) + "\"},"
                + "\"127.0.0.1:5001\":{\"username\":\"local\",\"password\":\"local-secret\"}}}");
        var resolver = new CredentialResolver(List.of(config));
        Credentials hub = resolver.resolve("docker.io", null).orElseThrow();
        assertThat(hub.username()).isEqualTo("hubuser");
        assertThat(hub.password()).isEqualTo("hub-secret");
        assertThat(resolver.resolve("127.0.0.1:5001", null).orElseThrow().password()).isEqualTo("local-secret");
        assertThat(resolver.resolve("127.0.0.1:5000", null)).isEmpty();
        assertThat(hub.toString()).doesNotContain("hub-secret");
    }

    @Test
    void requestCredentialsWinThenBerthFileThenDockerConfig() throws IOException {
        Path berth = write("auth.json", "{\"auths\":{\"r.example\":{\"username\":\"berth\",\"password\":\"b\"}}}");
        Path docker = write("docker.json", "{\"auths\":{\"r.example\":{\"username\":\"docker\",\"password\":\"d\"},"
                + "\"other.example\":{\"username\":\"docker2\",\"password\":\"d2\"}}}");
        var resolver = new CredentialResolver(List.of(berth, docker));
        assertThat(resolver.resolve("r.example", Credentials.basic("explicit", "e", null)).orElseThrow().username())
                .isEqualTo("explicit");
        assertThat(resolver.resolve("r.example", Credentials.basic("explicit", "e", "https://r.example/v2/"))
                .orElseThrow().username()).isEqualTo("explicit");
        // Credentials meant for another server are not sent here.
        assertThat(resolver.resolve("r.example", Credentials.basic("explicit", "e", "elsewhere.example"))
                .orElseThrow().username()).isEqualTo("berth");
        assertThat(resolver.resolve("other.example", null).orElseThrow().username()).isEqualTo("docker2");
        assertThat(new CredentialResolver(List.of(dir.resolve("missing.json"))).resolve("r.example", null)).isEmpty();
    }

    @Test
    void malformedCredentialFileErrorNamesTheFileButNotItsContent() throws IOException {
        Path broken = write("auth.json", "{\"auths\":{\"r.example\":{\"password\": top-secret-value}}}");
        assertThatThrownBy(() -> new CredentialResolver(List.of(broken)).resolve("r.example", null))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining(broken.toString())
                .hasMessageContaining("line 1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("top-secret"));
    }

    @Test
    void registryClientToStringHidesTheCredentials() {
        try (var client = RegistryClient.create("127.0.0.1:5000", new Credentials("user", "pw-secret-1", null, "id-token-2"),
                RegistryOptions.defaults())) {
            assertThat(client.toString()).contains("127.0.0.1:5000").doesNotContain("pw-secret-1").doesNotContain("id-token-2");
        }
    }

    @Test
    void plainHttpOnlyForLoopbackOrInsecureRegistries() {
        assertThat(RegistryEndpoint.of("127.0.0.1:5000", java.util.Set.of()).plainHttp()).isTrue();
        assertThat(RegistryEndpoint.of("127.8.9.10", java.util.Set.of()).plainHttp()).isTrue();
        assertThat(RegistryEndpoint.of("localhost:5000", java.util.Set.of()).plainHttp()).isTrue();
        assertThat(RegistryEndpoint.of("[::1]:5000", java.util.Set.of()).plainHttp()).isTrue();
        assertThat(RegistryEndpoint.of("128.0.0.1:5000", java.util.Set.of()).plainHttp()).isFalse();
        assertThat(RegistryEndpoint.of("registry.internal:5000", java.util.Set.of()).plainHttp()).isFalse();
        assertThat(RegistryEndpoint.of("registry.internal:5000", java.util.Set.of("registry.internal:5000")).plainHttp()).isTrue();
        assertThat(RegistryEndpoint.of("registry-1.docker.io", java.util.Set.of()).base()).hasToString("https://registry-1.docker.io");
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
