package dev.berth.docker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ApiVersionTest {
    private static final ApiVersion MAX = ApiVersion.CLIENT_MAX;
    private static final ApiVersion MIN = ApiVersion.CLIENT_MIN;

    @Test
    void parsesAndComparesNumerically() {
        assertThat(ApiVersion.parse("1.41")).isEqualTo(new ApiVersion(1, 41));
        assertThat(ApiVersion.parse("v1.9")).isEqualTo(new ApiVersion(1, 9));
        assertThat(ApiVersion.parse("1.9")).isLessThan(ApiVersion.parse("1.10"));
        assertThat(ApiVersion.parse("2")).isGreaterThan(ApiVersion.parse("1.99"));
        assertThat(ApiVersion.parse("1.41").pathPrefix()).isEqualTo("/v1.41");
        assertThatThrownBy(() -> ApiVersion.parse("one.two")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usesTheServerVersionWhenOlderThanOurs() {
        assertThat(ApiVersion.negotiate(ApiVersion.parse("1.41"), ApiVersion.parse("1.12"), MAX, MIN))
                .isEqualTo(ApiVersion.parse("1.41"));
    }

    @Test
    void capsAtOurMaximumWhenTheServerIsNewer() {
        assertThat(ApiVersion.negotiate(ApiVersion.parse("1.47"), ApiVersion.parse("1.24"), MAX, MIN))
                .isEqualTo(ApiVersion.parse("1.43"));
    }

    @Test
    void refusesServersOlderThanOurMinimum() {
        assertThatThrownBy(() -> ApiVersion.negotiate(ApiVersion.parse("1.39"), ApiVersion.parse("1.12"), MAX, MIN))
                .isInstanceOf(UnsupportedApiVersionException.class)
                .hasMessageContaining("1.39").hasMessageContaining("1.40");
    }

    @Test
    void refusesServersWhoseMinimumIsAboveOurMaximum() {
        assertThatThrownBy(() -> ApiVersion.negotiate(ApiVersion.parse("1.60"), ApiVersion.parse("1.44"), MAX, MIN))
                .isInstanceOf(UnsupportedApiVersionException.class)
                .hasMessageContaining("1.44");
    }

    @Test
    void toleratesAMissingServerMinimum() {
        assertThat(ApiVersion.negotiate(ApiVersion.parse("1.41"), null, MAX, MIN)).isEqualTo(ApiVersion.parse("1.41"));
    }

    @Test
    void recognisesPodmanFromItsComponents() {
        JsonNode podman = Json.parse("""
                {"Components":[{"Name":"Podman Engine","Version":"4.3.1","Details":{"APIVersion":"4.3.1","MinAPIVersion":"4.0.0"}}],
                 "Version":"4.3.1","ApiVersion":"1.41","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}""".getBytes());
        EngineInfo p = EngineInfo.negotiate(podman, MAX, MIN);
        assertThat(p.podman()).isTrue();
        assertThat(p.engineName()).isEqualTo("Podman Engine");
        assertThat(p.engineVersion()).isEqualTo("4.3.1");
        assertThat(p.apiVersion()).isEqualTo(ApiVersion.V1_41);
        // Podman's component-level MinAPIVersion is the libpod one and must not be used.
        assertThat(p.serverMinApi()).isEqualTo(ApiVersion.parse("1.24"));
    }

    @Test
    void recognisesDocker() {
        JsonNode docker = Json.parse("""
                {"Components":[{"Name":"Engine","Version":"20.10.24+dfsg1"},{"Name":"containerd","Version":"1.6.20"}],
                 "Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12"}""".getBytes());
        EngineInfo d = EngineInfo.negotiate(docker, MAX, MIN);
        assertThat(d.podman()).isFalse();
        assertThat(d.engineName()).isEqualTo("Docker Engine");
        assertThat(d.engineVersion()).isEqualTo("20.10.24+dfsg1");
    }
}
