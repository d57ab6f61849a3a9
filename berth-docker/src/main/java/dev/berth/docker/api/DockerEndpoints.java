package dev.berth.docker.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds the engine socket. Order for {@link Engine#ANY} and {@link Engine#DOCKER}: {@code DOCKER_HOST}
 * (authoritative when set, like the docker CLI), {@code /var/run/docker.sock}, rootless
 * {@code $XDG_RUNTIME_DIR/docker.sock}; ANY then falls back to the Podman sockets.
 * {@link Engine#PODMAN} tries {@code /run/podman/podman.sock}, {@code $XDG_RUNTIME_DIR/podman/podman.sock},
 * then the Docker locations (podman-docker links those), accepting only an engine whose ping says Podman.
 */
public final class DockerEndpoints {
    public enum Engine { ANY, DOCKER, PODMAN }

    /** What the probe learned from a socket that answered. */
    public enum Identity { DOCKER, PODMAN }

    /** A socket to try and why it is on the list (for error messages). */
    public record Candidate(Path socket, String source) {
        @Override
        public String toString() {
            return socket + " (" + source + ")";
        }
    }

    /**
     * Pings a socket; returns what answered, or throws when nothing usable did. Injected so tests
     * can exercise the ordering without daemons.
     */
    @FunctionalInterface
    public interface Probe {
        Identity probe(Path socket) throws Exception;
    }

    public static final Path DOCKER_DEFAULT = Path.of("/var/run/docker.sock");
    public static final Path PODMAN_ROOTFUL = Path.of("/run/podman/podman.sock");

    private static final String HOW_TO_START = "start Docker (`sudo systemctl start docker`, or `sudo dockerd &`) or the Podman"
            + " API service (`podman system service --time=0 unix:///run/podman/podman.sock &`), or set DOCKER_HOST=unix:///path/to.sock";

    private final Function<String, String> env;
    private final Predicate<Path> exists;
    private final Probe probe;

    public DockerEndpoints(Function<String, String> env, Predicate<Path> exists, Probe probe) {
        this.env = env;
        this.exists = exists;
        this.probe = probe;
    }

    /** Real environment, filesystem and a ping over the socket. */
    public static DockerEndpoints system() {
        return new DockerEndpoints(System::getenv, Files::exists, DockerEndpoints::probeSocket);
    }

    public static DockerEndpoints fromMap(Map<String, String> env, Predicate<Path> exists, Probe probe) {
        return new DockerEndpoints(env::get, exists, probe);
    }

    /**
     * Parses an explicit endpoint: {@code unix:///path}, {@code unix:/path} or a plain path.
     * Anything else (tcp://, ssh://, npipe://) is refused with an explanation.
     */
    public static Path parse(String endpoint) {
        String e = endpoint.strip();
        if (e.startsWith("/")) {
            return Path.of(e);
        }
        if (e.startsWith("unix:")) {
            try {
                String path = new URI(e).getPath();
                if (path == null || path.isEmpty()) {
                    throw new DockerUnavailableException("Endpoint '" + endpoint + "' has no socket path");
                }
                return Path.of(path);
            } catch (URISyntaxException ex) {
                throw new DockerUnavailableException("Malformed endpoint '" + endpoint + "': " + ex.getMessage());
            }
        }
        int colon = e.indexOf("://");
        String scheme = colon > 0 ? e.substring(0, colon) : e;
        throw new DockerUnavailableException("Endpoint '" + endpoint + "' is not supported: Berth talks to the engine over a"
                + " unix socket only (" + scheme + " is not implemented); use unix:///var/run/docker.sock or a socket path");
    }

    /** Sockets to try, in order. Throws if DOCKER_HOST names an unsupported transport. */
    public List<Candidate> candidates(Engine engine) {
        List<Candidate> docker = dockerCandidates(engine != Engine.PODMAN);
        List<Candidate> podman = podmanCandidates();
        List<Candidate> all = new ArrayList<>();
        switch (engine) {
            case DOCKER -> all.addAll(docker);
            case PODMAN -> {
                all.addAll(podman);
                all.addAll(docker);
            }
            case ANY -> {
                all.addAll(docker);
                if (!dockerHostSet()) {
                    all.addAll(podman);
                }
            }
        }
        return dedupe(all);
    }

    private boolean dockerHostSet() {
        String h = env.apply("DOCKER_HOST");
        return h != null && !h.isBlank();
    }

    private List<Candidate> dockerCandidates(boolean strictDockerHost) {
        List<Candidate> list = new ArrayList<>();
        if (dockerHostSet()) {
            String host = env.apply("DOCKER_HOST");
            if (strictDockerHost) {
                return List.of(new Candidate(parse(host), "DOCKER_HOST"));
            }
            // Looking for Podman: a tcp:// DOCKER_HOST is irrelevant rather than fatal.
            try {
                list.add(new Candidate(parse(host), "DOCKER_HOST"));
            } catch (DockerUnavailableException ignored) {
                // skip
            }
        }
        list.add(new Candidate(DOCKER_DEFAULT, "default"));
        String xdg = env.apply("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            list.add(new Candidate(Path.of(xdg, "docker.sock"), "rootless docker"));
        }
        return list;
    }

    private List<Candidate> podmanCandidates() {
        List<Candidate> list = new ArrayList<>();
        list.add(new Candidate(PODMAN_ROOTFUL, "podman"));
        String xdg = env.apply("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            list.add(new Candidate(Path.of(xdg, "podman", "podman.sock"), "rootless podman"));
        }
        return list;
    }

    private static List<Candidate> dedupe(List<Candidate> list) {
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : list) {
            if (out.stream().noneMatch(o -> o.socket().equals(c.socket()))) {
                out.add(c);
            }
        }
        return out;
    }

    /** The first candidate that exists, answers and (for DOCKER/PODMAN) is that engine. */
    public Path locate(Engine engine) {
        List<String> tried = new ArrayList<>();
        for (Candidate c : candidates(engine)) {
            if (!exists.test(c.socket())) {
                tried.add(c.socket() + " [missing]");
                continue;
            }
            Identity id;
            try {
                id = probe.probe(c.socket());
            } catch (Exception e) {
                tried.add(c.socket() + " [" + oneLine(e) + "]");
                continue;
            }
            if (engine == Engine.PODMAN && id != Identity.PODMAN) {
                tried.add(c.socket() + " [not podman]");
            } else if (engine == Engine.DOCKER && id != Identity.DOCKER) {
                tried.add(c.socket() + " [podman, not docker]");
            } else {
                return c.socket();
            }
        }
        String what = switch (engine) {
            case ANY -> "Docker or Podman";
            case DOCKER -> "Docker";
            case PODMAN -> "Podman";
        };
        throw new DockerUnavailableException("No " + what + " engine socket answered (tried "
                + tried.stream().collect(Collectors.joining(", ")) + "); " + HOW_TO_START);
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    /** Pings; Podman marks its answers with a Libpod-Api-Version header. */
    static Identity probeSocket(Path socket) {
        try (UnixSocketHttp http = new UnixSocketHttp(socket, 1)) {
            HttpResponse ping = http.execute(HttpRequest.get("/_ping"));
            byte[] body = ping.bytes();
            if (!ping.isSuccess()) {
                throw ApiErrors.from(ping.status(), ping.reason(), body);
            }
            return ping.header("Libpod-Api-Version") != null ? Identity.PODMAN : Identity.DOCKER;
        }
    }
}
