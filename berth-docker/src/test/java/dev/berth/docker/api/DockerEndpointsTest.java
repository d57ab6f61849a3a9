package dev.berth.docker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.docker.api.DockerEndpoints.Engine;
import dev.berth.docker.api.DockerEndpoints.Identity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DockerEndpointsTest {
    private final Map<String, String> env = new HashMap<>(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"));
    private final Map<Path, Identity> daemons = new HashMap<>();
    private Set<Path> files = Set.of();

    private DockerEndpoints endpoints() {
        return DockerEndpoints.fromMap(env, p -> files.contains(p), p -> {
            Identity id = daemons.get(p);
            if (id == null) {
                throw new IOException("Connection refused");
            }
            return id;
        });
    }

    private List<String> paths(Engine e) {
        return endpoints().candidates(e).stream().map(c -> c.socket().toString()).toList();
    }

    @Test
    void dockerOrderIsDefaultThenRootless() {
        assertThat(paths(Engine.DOCKER)).containsExactly("/var/run/docker.sock", "/run/user/1000/docker.sock");
    }

    @Test
    void anyFallsBackToPodmanAfterDocker() {
        assertThat(paths(Engine.ANY)).containsExactly("/var/run/docker.sock", "/run/user/1000/docker.sock",
                "/run/podman/podman.sock", "/run/user/1000/podman/podman.sock");
    }

    @Test
    void podmanChecksPodmanPathsFirst() {
        assertThat(paths(Engine.PODMAN)).containsExactly("/run/podman/podman.sock", "/run/user/1000/podman/podman.sock",
                "/var/run/docker.sock", "/run/user/1000/docker.sock");
    }

    @Test
    void withoutXdgRuntimeDirThereAreNoRootlessCandidates() {
        env.remove("XDG_RUNTIME_DIR");
        assertThat(paths(Engine.ANY)).containsExactly("/var/run/docker.sock", "/run/podman/podman.sock");
    }

    @Test
    void unixDockerHostIsAuthoritative() {
        env.put("DOCKER_HOST", "unix:///tmp/custom.sock");
        assertThat(paths(Engine.ANY)).containsExactly("/tmp/custom.sock");
        assertThat(paths(Engine.DOCKER)).containsExactly("/tmp/custom.sock");
        assertThat(paths(Engine.PODMAN)).startsWith("/run/podman/podman.sock").contains("/tmp/custom.sock");
    }

    @Test
    void tcpDockerHostIsRefusedClearlyButIgnoredWhenLookingForPodman() {
        env.put("DOCKER_HOST", "tcp://10.0.0.1:2375");
        assertThatThrownBy(() -> paths(Engine.ANY)).isInstanceOf(DockerUnavailableException.class)
                .hasMessageContaining("tcp://10.0.0.1:2375").hasMessageContaining("unix socket");
        assertThat(paths(Engine.PODMAN)).contains("/run/podman/podman.sock").doesNotContain("10.0.0.1");
    }

    @Test
    void parsesExplicitEndpoints() {
        assertThat(DockerEndpoints.parse("unix:///var/run/docker.sock")).isEqualTo(Path.of("/var/run/docker.sock"));
        assertThat(DockerEndpoints.parse("/run/podman/podman.sock")).isEqualTo(Path.of("/run/podman/podman.sock"));
        assertThatThrownBy(() -> DockerEndpoints.parse("ssh://me@host")).isInstanceOf(DockerUnavailableException.class)
                .hasMessageContaining("ssh");
    }

    @Test
    void locateSkipsMissingAndDeadSockets() {
        Path rootless = Path.of("/run/user/1000/docker.sock");
        files = Set.of(DockerEndpoints.DOCKER_DEFAULT, rootless);
        daemons.put(rootless, Identity.DOCKER); // the default socket exists but nobody listens
        assertThat(endpoints().locate(Engine.ANY)).isEqualTo(rootless);
    }

    @Test
    void podmanLookupRequiresPodmanAndDockerLookupRejectsIt() {
        files = Set.of(DockerEndpoints.DOCKER_DEFAULT, DockerEndpoints.PODMAN_ROOTFUL);
        daemons.put(DockerEndpoints.DOCKER_DEFAULT, Identity.DOCKER);
        daemons.put(DockerEndpoints.PODMAN_ROOTFUL, Identity.PODMAN);
        assertThat(endpoints().locate(Engine.PODMAN)).isEqualTo(DockerEndpoints.PODMAN_ROOTFUL);
        assertThat(endpoints().locate(Engine.DOCKER)).isEqualTo(DockerEndpoints.DOCKER_DEFAULT);

        // podman-docker: /var/run/docker.sock served by Podman
        daemons.put(DockerEndpoints.DOCKER_DEFAULT, Identity.PODMAN);
        files = Set.of(DockerEndpoints.DOCKER_DEFAULT);
        assertThat(endpoints().locate(Engine.PODMAN)).isEqualTo(DockerEndpoints.DOCKER_DEFAULT);
        assertThatThrownBy(() -> endpoints().locate(Engine.DOCKER)).hasMessageContaining("not docker");
    }

    @Test
    void nothingReachableGivesOneLineWithEveryPathAndAHint() {
        files = Set.of(DockerEndpoints.DOCKER_DEFAULT);
        assertThatThrownBy(() -> endpoints().locate(Engine.ANY))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessageContaining("/var/run/docker.sock [Connection refused]")
                .hasMessageContaining("/run/user/1000/docker.sock [missing]")
                .hasMessageContaining("/run/podman/podman.sock [missing]")
                .hasMessageContaining("/run/user/1000/podman/podman.sock [missing]")
                .hasMessageContaining("dockerd").hasMessageContaining("podman system service")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
