package dev.berth.docker.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.CreateRequest;
import dev.berth.api.spi.Handle;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.docker.api.DockerClient;
import dev.berth.docker.api.DockerEndpoints;
import dev.berth.engine.Engine;
import dev.berth.testkit.Await;
import dev.berth.testkit.BackendConformance;
import dev.berth.testkit.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * userData and keepAlive on the real dockerd and Podman, through the backend SPI: the user data
 * runs as a file (its text is never a shell string), keep-alive outlives the argv and still
 * dies on TERM, and the real argv arrives byte for byte.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InstanceWorkloadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HOSTILE = "echo 'it'\"'\"'s $(id) `date` ; rm -rf /' > /tmp/booted\necho user-data-ran\n";
    private static final List<String> IDLE = List.of("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait");

    @TempDir
    Path dataDir;

    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private final List<Handle> created = new ArrayList<>();
    private Backend backend;
    private Engine engine;

    private void open(String kind) {
        var provider = kind.equals("docker") ? DockerBackendProvider.docker() : DockerBackendProvider.podman();
        try {
            backend = provider.open(Map.of());
        } catch (BerthException e) {
            String required = String.valueOf(System.getenv(BackendConformance.REQUIRE_ENV));
            if (Arrays.asList(required.split(",")).contains(kind)) {
                throw new AssertionError("backend '" + kind + "' is required but unavailable: " + e.getMessage(), e);
            }
            Assumptions.abort("backend '" + kind + "' is unavailable: " + e.getMessage());
        }
        engine = Engine.builder().dataDir(dataDir).provider(provider).defaultBackend(kind).build();
        TestImages.ensureImported(engine, kind);
    }

    private Handle create(WorkloadSpec spec) {
        Handle h = backend.create(new CreateRequest(spec.validate(), new OwnerLabels(engine.ownerId(), spec.name(), 1), null));
        created.add(h);
        return h;
    }

    private String name(String label) {
        return "iw-" + runId + "-" + label;
    }

    private List<String> logs(Handle h) {
        try (var lines = backend.logs(h, LogQuery.ALL)) {
            return lines.map(LogLine::text).map(String::stripTrailing).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void userDataRunsAsLiteralFileAndNeverAppearsInTheContainerConfig(String kind) {
        open(kind);
        Handle h = create(WorkloadSpec.builder(name("ud"), TestImages.BUSYBOX).command(IDLE).userData(HOSTILE).build());
        backend.start(h);

        String booted = Await.value(WAIT, () -> {
            var r = backend.exec(h, ExecRequest.of("cat", "/tmp/booted"));
            return r.exitCode() == 0 ? Optional.of(r.stdout()) : Optional.empty();
        }, "/tmp/booted written by the user data");
        assertThat(booted).isEqualTo("it's $(id) `date` ; rm -rf /\n");
        Await.until(WAIT, () -> logs(h).contains("user-data-ran"), "user data output in the logs");
        assertThat(backend.exec(h, ExecRequest.of("ls", "/")).stdout()).contains("bin"); // rm -rf / stayed text

        try (var client = DockerClient.connect(kind.equals("docker") ? DockerEndpoints.Engine.DOCKER : DockerEndpoints.Engine.PODMAN)) {
            JsonNode config = client.containers().inspect(h.id()).path("Config");
            String exposed = config.path("Cmd").toString() + config.path("Entrypoint") + config.path("Env");
            assertThat(exposed).doesNotContain("booted").doesNotContain("user-data-ran").doesNotContain("rm -rf");
            assertThat(config.path("Cmd").toString()).contains("sleep 1000");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void keepAliveOutlivesTheArgvAndStopEndsItByTerm(String kind) {
        open(kind);
        Handle h = create(WorkloadSpec.builder(name("ka"), TestImages.BUSYBOX).command("true").keepAlive(true).build());
        backend.start(h);

        BerthException stillRunning = catchThrowableOfType(BerthException.class, () -> backend.waitExit(h, Duration.ofSeconds(2)));
        assertThat(stillRunning).isNotNull();
        assertThat(stillRunning.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(backend.inspect(h).state()).isEqualTo(WorkloadState.RUNNING);

        long t0 = System.nanoTime();
        backend.stop(h, Duration.ofSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).as("stop ends keep-alive by TERM, not after the grace").isLessThan(Duration.ofSeconds(4));
        assertThat(backend.inspect(h).exit().code()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void argvWithSpacesAndQuotesArrivesUnchanged(String kind) {
        open(kind);
        List<String> args = List.of("a b", "it's \"q\"", "$(id)", "`x`;", "");
        var argv = new ArrayList<>(List.of("/bin/sh", "-c", "printf '<%s>\\n' \"$@\"", "sh"));
        argv.addAll(args);
        Handle h = create(WorkloadSpec.builder(name("argv"), TestImages.BUSYBOX).command(argv).userData("true\n").build());
        backend.start(h);

        assertThat(backend.waitExit(h, WAIT).code()).isZero();
        assertThat(logs(h)).containsExactly("<a b>", "<it's \"q\">", "<$(id)>", "<`x`;>", "<>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void keepAliveFollowsTheImageEntrypointAndReplacesItsCmdWithArgs(String kind) {
        open(kind);
        Handle h = create(WorkloadSpec.builder(name("ep"), TestImages.ENTRYPOINT).args("x  y").keepAlive(true).build());
        backend.start(h);

        Await.until(WAIT, () -> logs(h).contains("from-entrypoint x  y"), "the image ENTRYPOINT run with the spec args");
        assertThat(backend.inspect(h).state()).isEqualTo(WorkloadState.RUNNING);
        backend.stop(h, Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void imageWithoutShellIsRefusedAsUnsupportedAndLeavesNoContainer(String kind) throws Exception {
        open(kind);
        String repo = "berth-test/no-shell-" + runId;
        try (var client = DockerClient.connect(kind.equals("docker") ? DockerEndpoints.Engine.DOCKER : DockerEndpoints.Engine.PODMAN)) {
            var tar = new ByteArrayOutputStream();
            try (var out = new TarArchiveOutputStream(tar)) {
                var entry = new TarArchiveEntry("hello");
                entry.setSize(3);
                out.putArchiveEntry(entry);
                out.write("hi\n".getBytes(StandardCharsets.US_ASCII));
                out.closeArchiveEntry();
            }
            client.images().importRootfs(new ByteArrayInputStream(tar.toByteArray()), repo, "1", List.of("CMD [\"/hello\"]"), null);
            try {
                String name = name("nosh");
                BerthException e = catchThrowableOfType(BerthException.class,
                        () -> create(WorkloadSpec.builder(name, repo + ":1").keepAlive(true).build()));
                assertThat(e).isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
                assertThat(e.field()).isEqualTo("keepAlive");
                assertThat(e.getMessage()).contains("/bin/sh");
                assertThat(backend.find(engine.ownerId(), name)).isEmpty();
            } finally {
                client.images().remove(repo + ":1", true);
            }
        }
    }

    @AfterEach
    void removeCreated() {
        try {
            if (backend != null) {
                created.forEach(backend::remove);
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
            if (backend != null) {
                backend.close();
            }
        }
    }
}
