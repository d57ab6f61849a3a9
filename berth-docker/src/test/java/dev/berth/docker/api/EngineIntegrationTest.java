package dev.berth.docker.api;

import static dev.berth.docker.api.EngineFixture.IMAGE;
import static dev.berth.docker.api.EngineFixture.LABEL;
import static dev.berth.docker.api.EngineFixture.LABEL_VALUE;
import static dev.berth.docker.api.EngineFixture.client;
import static dev.berth.docker.api.EngineFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs against the real dockerd and podman sockets; each engine is skipped if its socket is absent. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineIntegrationTest {

    @AfterAll
    static void cleanUp() {
        EngineFixture.cleanUp();
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void negotiatesTheVersionAndIdentifiesTheEngine(String engine) {
        try (DockerClient c = DockerClient.connect(EngineFixture.socket(engine))) {
            assertThat(c.apiVersion()).isEqualTo(ApiVersion.V1_41);
            assertThat(c.isPodman()).isEqualTo(engine.equals("podman"));
            assertThat(c.engineName()).isEqualTo(engine.equals("podman") ? "Podman Engine" : "Docker Engine");
            assertThat(c.engineVersion()).isNotBlank();
            assertThat(c.info().path("Containers").isNumber()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void discoveryFindsTheRequestedEngine(String engine) {
        EngineFixture.socket(engine);
        var kind = engine.equals("podman") ? DockerEndpoints.Engine.PODMAN : DockerEndpoints.Engine.DOCKER;
        try (DockerClient c = DockerClient.connect(kind)) {
            assertThat(c.isPodman()).isEqualTo(engine.equals("podman"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void keepAliveReusesOneConnection(String engine) {
        try (DockerClient c = DockerClient.connect(EngineFixture.socket(engine))) {
            for (int i = 0; i < 20; i++) {
                c.ping();
            }
            c.containers().list(true, null); // a JSON body too, not just "OK"
            assertThat(c.connectionsOpened()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void exitCodeIsReportedByWait(String engine) {
        DockerClient c = client(engine);
        String id = c.containers().create(null, container(c, false, "sh", "-c", "exit 42"));
        try {
            assertThat(c.containers().start(id)).isTrue();
            assertThat(c.containers().waitFor(id, "not-running")).isEqualTo(42);
            assertThat(c.containers().inspect(id).path("State").path("ExitCode").asInt()).isEqualTo(42);
        } finally {
            assertThat(c.containers().remove(id, true, true)).isTrue();
        }
        assertThat(c.containers().remove(id, true, true)).isFalse();
        assertThatThrownBy(() -> c.containers().inspect(id)).isInstanceOf(NotFoundException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void beginWaitBeforeStartCannotMissAFastExit(String engine) {
        DockerClient c = client(engine);
        assumeFalse(c.isPodman(), "Podman 4.3 subscribes to next-exit only after answering, so it can race");
        String id = c.containers().create(null, container(c, false, "sh", "-c", "exit 7"));
        try (ContainerWait wait = c.containers().beginWait(id, "next-exit")) {
            c.containers().start(id);
            assertThat(wait.await()).isEqualTo(7);
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void logsKeepStdoutAndStderrApart(String engine) throws IOException {
        DockerClient c = client(engine);
        String id = c.containers().create(null, container(c, false, "sh", "-c", "echo out1; echo err1 >&2; echo out2"));
        try {
            c.containers().start(id);
            assertThat(c.containers().waitFor(id, null)).isZero();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (FrameReader r = c.containers().logs(id, LogOptions.all())) {
                r.demuxTo(out, err);
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out1\nout2\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err1\n");

            ByteArrayOutputStream onlyErr = new ByteArrayOutputStream();
            try (FrameReader r = c.containers().logs(id, LogOptions.all().withStreams(false, true))) {
                r.demuxTo(new ByteArrayOutputStream(), onlyErr);
            }
            assertThat(onlyErr.toString(StandardCharsets.UTF_8)).isEqualTo("err1\n");
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void followedLogsArriveProgressivelyUntilExit(String engine) throws IOException {
        DockerClient c = client(engine);
        String id = c.containers().create(null, container(c, false, "sh", "-c", "echo first; sleep 1; echo second"));
        try {
            c.containers().start(id);
            List<String> lines = new ArrayList<>();
            try (FrameReader r = c.containers().logs(id, LogOptions.all().withFollow(true))) {
                Frame f;
                while ((f = r.next()) != null) {
                    lines.add(f.text());
                }
            }
            assertThat(String.join("", lines)).isEqualTo("first\nsecond\n");
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void execStreamsOutputAndReportsTheExitCode(String engine) throws IOException {
        DockerClient c = client(engine);
        String id = c.containers().create(null, container(c, false, "sleep", "300"));
        try {
            c.containers().start(id);
            String exec = c.exec().create(id, ExecApi.config(List.of("sh", "-c", "echo hi; echo oops >&2; exit 3"), false, false));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (ExecConnection conn = c.exec().start(exec, false)) {
                conn.frames().demuxTo(out, err);
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("oops\n");
            ExecState state = c.exec().inspect(exec);
            assertThat(state.running()).isFalse();
            assertThat(state.exitCode()).isEqualTo(3);

            String again = c.exec().create(id, ExecApi.config(List.of("sh", "-c", "echo buffered; exit 5"), false, false));
            ExecResult r = c.exec().startBuffered(again, false);
            assertThat(r.exitCode()).isEqualTo(5);
            assertThat(r.stdoutText()).isEqualTo("buffered\n");
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void execStdinIsEchoedAndHalfCloseEndsIt(String engine) throws IOException {
        DockerClient c = client(engine);
        String id = c.containers().create(null, container(c, false, "sleep", "300"));
        try {
            c.containers().start(id);
            String exec = c.exec().create(id, ExecApi.config(List.of("cat"), true, false));
            StringBuilder echoed = new StringBuilder();
            try (ExecConnection conn = c.exec().start(exec, false)) {
                conn.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
                // Read the echo before closing stdin: proves stdin is live, not just buffered until EOF.
                Frame first = conn.frames().next();
                echoed.append(first.text());
                conn.stdin().write("bye\n".getBytes(StandardCharsets.UTF_8));
                conn.closeStdin();
                Frame f;
                while ((f = conn.frames().next()) != null) {
                    assertThat(f.stream()).isEqualTo(StreamType.STDOUT);
                    echoed.append(f.text());
                }
            }
            assertThat(echoed.toString()).isEqualTo("hello\nbye\n");
            assertThat(c.exec().inspect(exec).exitCode()).isZero();
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void putArchiveThenReadTheFileBack(String engine) throws IOException {
        DockerClient c = client(engine);
        String id = c.containers().create(null, container(c, false, "sleep", "300"));
        try {
            c.containers().start(id);
            byte[] tar = new TarBuilder().file("greeting.txt", "hello from berth\n").build();
            c.containers().putArchive(id, "/tmp", new ByteArrayInputStream(tar));
            c.containers().putArchive(id, "/", new ByteArrayInputStream(
                    new TarBuilder().file("sized.txt", "sized\n").build()), -1);

            String exec = c.exec().create(id, ExecApi.config(List.of("cat", "/tmp/greeting.txt", "/sized.txt"), false, false));
            assertThat(c.exec().startBuffered(exec, false).stdoutText()).isEqualTo("hello from berth\nsized\n");

            byte[] back;
            try (InputStream in = c.containers().getArchive(id, "/tmp/greeting.txt")) {
                back = in.readAllBytes();
            }
            // ustar: name at 0, size (octal) at 124, data after the 512-byte header
            assertThat(new String(back, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("greeting.txt");
            int size = Integer.parseInt(new String(back, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
            assertThat(new String(back, 512, size, StandardCharsets.UTF_8)).isEqualTo("hello from berth\n");
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void lifecycleStopKillRestartAndList(String engine) {
        DockerClient c = client(engine);
        String name = "berth-apitest-" + engine + "-" + System.nanoTime();
        String id = c.containers().create(name, container(c, false, "sleep", "300"));
        try {
            assertThatThrownBy(() -> c.containers().create(name, container(c, false, "sleep", "1")))
                    .isInstanceOf(ConflictException.class);
            assertThat(c.containers().start(id)).isTrue();
            assertThat(c.containers().start(id)).isFalse();
            assertThat(c.containers().list(false, Map.of(LABEL, LABEL_VALUE)).findValuesAsText("Id")).contains(id);
            c.containers().kill(id, "SIGKILL");
            c.containers().waitFor(id, "not-running");
            assertThat(c.containers().inspect(id).path("State").path("Running").asBoolean()).isFalse();
            c.containers().restart(id, 1);
            assertThat(c.containers().inspect(id).path("State").path("Running").asBoolean()).isTrue();
            assertThat(c.containers().stop(id, 1)).isTrue();
            assertThat(c.containers().list(false, Map.of(LABEL, LABEL_VALUE)).findValuesAsText("Id")).doesNotContain(id);
            assertThat(c.containers().list(true, Map.of(LABEL, LABEL_VALUE)).findValuesAsText("Id")).contains(id);
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void statsOneShotAndStream(String engine) {
        DockerClient c = client(engine);
        String id = c.containers().create(null, container(c, false, "sleep", "300"));
        try {
            c.containers().start(id);
            JsonNode one = c.containers().stats(id);
            assertThat(one.has("memory_stats")).isTrue();
            try (Stream<JsonNode> s = c.containers().statsStream(id)) {
                assertThat(s.limit(2).toList()).hasSize(2).allSatisfy(n -> assertThat(n.has("cpu_stats")).isTrue());
            }
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void imagesInspectTagListRemove(String engine) {
        DockerClient c = client(engine);
        JsonNode img = c.images().inspect(IMAGE);
        assertThat(img.path("Id").asText()).startsWith("sha256:");
        assertThatThrownBy(() -> c.images().inspect("berth-apitest:does-not-exist")).isInstanceOf(NotFoundException.class);
        c.images().tag(IMAGE, "berth-apitest", "tagged");
        try {
            assertThat(c.images().inspect("berth-apitest:tagged").path("Id").asText()).isEqualTo(img.path("Id").asText());
            assertThat(c.images().list(false, Map.of(LABEL, LABEL_VALUE)).findValuesAsText("Id"))
                    .anySatisfy(i -> assertThat(img.path("Id").asText()).endsWith(i.replace("sha256:", "")));
        } finally {
            assertThat(c.images().remove("berth-apitest:tagged", false)).isTrue();
        }
        assertThat(c.images().remove("berth-apitest:tagged", false)).isFalse();
        assertThat(c.images().prune(true).isObject()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void pullFailureBecomesAnException(String engine) {
        DockerClient c = client(engine);
        List<JsonNode> progress = new ArrayList<>();
        assertThatThrownBy(() -> c.images().pull("localhost:1/berth/nope", "latest", ImagesApi.registryAuth("u", "p", "localhost:1"), progress::add))
                .isInstanceOf(c.isPodman() ? StreamErrorException.class : DockerApiException.class) // Podman: 200 + error line
                .satisfies(e -> assertThat(((DockerApiException) e).message()).contains("localhost:1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void networksCreateInspectListRemove(String engine) {
        DockerClient c = client(engine);
        String name = "berth-apitest-net-" + engine + "-" + System.nanoTime();
        // A random /24 so that a bridge leaked by an earlier, interrupted run cannot collide.
        String subnet = "10.213." + java.util.concurrent.ThreadLocalRandom.current().nextInt(100, 250) + ".0/24";
        String id = c.networks().create(name, true, Map.of(LABEL, LABEL_VALUE), subnet);
        try {
            JsonNode n = c.networks().inspect(name);
            assertThat(n.path("Internal").asBoolean()).isTrue();
            assertThat(n.path("IPAM").path("Config").get(0).path("Subnet").asText()).isEqualTo(subnet);
            assertThat(c.networks().list(Map.of(LABEL, LABEL_VALUE)).findValuesAsText("Name")).contains(name);
            assertThatThrownBy(() -> c.networks().inspect(name + "-missing")).isInstanceOf(NotFoundException.class);
        } finally {
            assertThat(c.networks().remove(id)).isTrue();
        }
        assertThat(c.networks().remove(id)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void eventsSubscribedBeforeTheActionSeeIt(String engine) {
        DockerClient c = client(engine);
        String id = c.containers().create(null, container(c, false, "sh", "-c", "exit 0"));
        // Subscribing returns at once even on Podman, which answers /events only with the first event.
        try (Stream<JsonNode> events = c.events(Map.of("type", List.of("container"), "container", List.of(id)), 0)) {
            c.containers().start(id);
            JsonNode start = events.filter(e -> "start".equals(e.path("Action").asText(e.path("status").asText())))
                    .findFirst().orElseThrow();
            assertThat(start.path("Actor").path("ID").asText()).isEqualTo(id);
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void closingAnIdleEventStreamFromAnotherThreadUnblocksTheReader(String engine) throws Exception {
        DockerClient c = client(engine);
        Stream<JsonNode> events = c.events(Map.of("label", List.of("berth.never=" + System.nanoTime())), 0);
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var reader = executor.submit(events::findFirst);
            Thread.sleep(300); // test-only: let the reader block
            events.close();
            assertThat(reader.get(10, TimeUnit.SECONDS)).isEmpty(); // closing ends the stream, not an error
        }
        c.ping(); // the client is still fine
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void ttyExecAndTtyLogsAreRawStreams(String engine) throws IOException {
        DockerClient c = client(engine);
        var body = container(c, false, "sh", "-c", "echo tty-out; sleep 300");
        body.put("Tty", true);
        String id = c.containers().create(null, body);
        try {
            c.containers().start(id);
            String exec = c.exec().create(id, ExecApi.config(List.of("sh", "-c", "echo a; echo b >&2; exit 4"), false, true));
            ExecResult r = c.exec().startBuffered(exec, true);
            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.stdoutText()).isEqualTo("a\r\nb\r\n"); // the TTY merges streams and maps \n to \r\n
            assertThat(r.stderr()).isEmpty();

            StringBuilder logs = new StringBuilder();
            try (FrameReader fr = c.containers().logs(id, LogOptions.all().withTty(true).withFollow(true))) {
                Frame f;
                while (!logs.toString().contains("tty-out") && (f = fr.next()) != null) {
                    logs.append(f.text());
                }
            }
            assertThat(logs.toString()).isEqualTo("tty-out\r\n");
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void attachBeforeStartCarriesStdinAndOutput(String engine) throws IOException {
        DockerClient c = client(engine);
        String id = c.containers().create(null, container(c, true, "cat"));
        try {
            StringBuilder out = new StringBuilder();
            try (ExecConnection conn = c.containers().attach(id, true, false, false)) {
                c.containers().start(id);
                conn.stdin().write("via attach\n".getBytes(StandardCharsets.UTF_8));
                conn.closeStdin();
                Frame f;
                while ((f = conn.frames().next()) != null) {
                    out.append(f.text());
                }
            }
            assertThat(out.toString()).isEqualTo("via attach\n");
            assertThat(c.containers().waitFor(id, "not-running")).isZero();
        } finally {
            c.containers().remove(id, true, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman"})
    void uploadToAMissingContainerIsNotFound(String engine) {
        DockerClient c = client(engine);
        byte[] tar = new TarBuilder().file("x.txt", "x").build();
        assertThatThrownBy(() -> c.containers().putArchive("berth-apitest-missing", "/", new ByteArrayInputStream(tar)))
                .isInstanceOf(NotFoundException.class);
    }
}
