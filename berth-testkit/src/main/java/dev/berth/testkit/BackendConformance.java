package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.api.client.BerthClient;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.BackendInfo;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecResult;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.LogStream;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.Names;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.BackendProvider;
import dev.berth.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The fixture every conformance suite shares: one {@link Engine} per test class, with a fresh
 * data directory and {@link #provider()} as its default backend, the test images imported once,
 * and every workload and network a test names removed after it (forcibly), so that nothing leaks.
 * Names are unique per run: {@code ck-<run id>-<label>}.
 *
 * <p>The helpers are for the suites: {@link #name} and {@link #network} hand out tracked names,
 * {@link #busybox} starts a spec on the test image, {@link #runIdle} runs a workload that stays
 * up and stops promptly on SIGTERM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class BackendConformance {
    /** The bound for any single wait in the suites. */
    protected static final Duration WAIT = Duration.ofSeconds(30);
    /** Stays up, prints "ready" once its SIGTERM handler is installed, and exits 0 on SIGTERM. */
    protected static final List<String> IDLE = List.of("/bin/sh", "-c", "trap 'exit 0' TERM; echo ready; sleep 1000 & wait");
    protected static final String READY = "ready";

    private static final System.Logger LOG = System.getLogger(BackendConformance.class.getName());

    private final String runId = randomId();
    private final Set<String> testWorkloads = new LinkedHashSet<>();
    private final Set<String> testNetworks = new LinkedHashSet<>();
    private final Set<String> classWorkloads = new LinkedHashSet<>();
    private BackendProvider provider;
    private Path dataDir;
    private BerthClient client;
    private boolean available;
    private String sharedIdle;

    /** The backend under test. */
    protected abstract BackendProvider provider();

    /** Settings handed to the backend (e.g. "socket"); none by default. */
    protected Map<String, String> backendSettings() {
        return Map.of();
    }

    /**
     * The client the scenarios drive: an in-process {@link Engine} with {@code provider} as its
     * default backend. Override to run the kit through another client (e.g. the daemon's).
     */
    protected BerthClient openClient(BackendProvider provider, Path dataDir) {
        return Engine.builder()
                .dataDir(dataDir)
                .defaultBackend(provider.name())
                .provider(provider)
                .backendSettings(provider.name(), backendSettings())
                .build();
    }

    @BeforeAll
    final void openEngine() throws IOException {
        provider = provider();
        dataDir = Files.createTempDirectory("berth-conformance-");
        client = openClient(provider, dataDir);
        assumeAvailable();
        available = true;
        TestImages.ensureImported(client, backend());
    }

    @AfterEach
    final void removeTestResources() {
        List<String> workloads;
        List<String> networks;
        synchronized (this) {
            workloads = List.copyOf(testWorkloads);
            networks = List.copyOf(testNetworks);
            testWorkloads.clear();
            testNetworks.clear();
        }
        removeAll(workloads, networks);
    }

    @AfterAll
    final void closeEngine() {
        try {
            if (available) {
                var leftovers = new LinkedHashSet<>(classWorkloads);
                String prefix = "ck-" + runId + "-";
                client.list(true).stream().map(WorkloadStatus::name).filter(n -> n.startsWith(prefix)).forEach(leftovers::add);
                var networks = client.listNetworks().stream().map(n -> n.name()).filter(n -> n.startsWith(prefix)).toList();
                removeAll(List.copyOf(leftovers), networks);
            }
        } finally {
            if (client != null) {
                client.close();
            }
            deleteTree(dataDir);
        }
    }

    /**
     * Skips the test class when the engine reports the backend unavailable, saying why both in the
     * skip reason and in a warning (build tools tend to hide class-level skips).
     */
    protected void assumeAvailable() {
        String name = provider.name();
        String unavailable;
        try {
            Optional<BackendInfo> info = client.info().backends().stream().filter(b -> b.name().equals(name)).findFirst();
            unavailable = info.isEmpty() ? "not listed by info()" : info.get().available() ? null : info.get().error();
        } catch (BerthException e) {
            unavailable = e.getMessage();
        }
        if (unavailable != null && required(name)) {
            throw new AssertionError("backend '" + name + "' is required (" + REQUIRE_ENV + ") but unavailable: " + unavailable);
        }
        if (unavailable != null) {
            String reason = getClass().getSimpleName() + " skipped: backend '" + name + "' is unavailable: " + unavailable;
            LOG.log(System.Logger.Level.WARNING, reason);
            Assumptions.abort(reason);
        }
    }

    /**
     * Backends named in this comma-separated variable must be available: CI sets it after starting
     * them, so a broken setup fails the build instead of silently skipping the kit.
     */
    public static final String REQUIRE_ENV = "BERTH_REQUIRE_BACKENDS";

    private static boolean required(String backend) {
        String value = System.getenv(REQUIRE_ENV);
        return value != null && java.util.Arrays.asList(value.split(",")).contains(backend);
    }

    /** What {@code info()} says about the backend under test. */
    protected BackendInfo backendInfo() {
        return client.info().backends().stream().filter(b -> b.name().equals(backend())).findFirst().orElseThrow();
    }

    /** The backend's degraded-mode notes mentioning {@code keyword} (case-insensitive); empty when none. */
    protected List<String> degraded(String keyword) {
        String k = keyword.toLowerCase(java.util.Locale.ROOT);
        return backendInfo().degraded().stream().filter(d -> d.toLowerCase(java.util.Locale.ROOT).contains(k)).toList();
    }

    protected BerthClient berth() {
        return client;
    }

    protected String backend() {
        return provider.name();
    }

    /** A fresh workload name for this run, removed after the current test. */
    protected synchronized String name(String label) {
        String name = fresh(label);
        testWorkloads.add(name);
        return name;
    }

    /** A fresh network name for this run, removed after the current test (after its workloads). */
    protected synchronized String network(String label) {
        String name = fresh(label);
        testNetworks.add(name);
        return name;
    }

    private String fresh(String label) {
        String name = "ck-" + runId + "-" + label;
        if (!Names.isValid(name)) {
            throw new IllegalArgumentException("bad test label '" + label + "': " + name + " is not a valid name");
        }
        return name;
    }

    /** A spec on the busybox test image, named {@code label}, running {@code command} when given. */
    protected WorkloadSpec.Builder busybox(String label, String... command) {
        var builder = WorkloadSpec.builder(name(label), TestImages.BUSYBOX);
        return command.length == 0 ? builder : builder.command(command);
    }

    /** Runs {@code spec} with the {@link #IDLE} command and waits until it has printed "ready". */
    protected WorkloadStatus runIdle(WorkloadSpec.Builder spec) {
        var status = client.run(spec.command(IDLE).build());
        awaitLogLine(status.name(), READY);
        return status;
    }

    /**
     * An idle workload shared by the tests of this class that only exec into it or read its
     * stats; it has a 64Mi memory limit. Tests must not stop or change it.
     */
    protected synchronized String sharedIdle() {
        if (sharedIdle == null) {
            String name = fresh("shared");
            classWorkloads.add(name);
            runIdle(WorkloadSpec.builder(name, TestImages.BUSYBOX).resources(null, "64Mi", null));
            sharedIdle = name;
        }
        return sharedIdle;
    }

    /** Runs {@code spec} and waits (bounded) for it to exit. */
    protected ExitStatus runToExit(WorkloadSpec spec) {
        client.run(spec);
        return client.waitExit(spec.name(), WAIT);
    }

    protected List<LogLine> logs(String name) {
        return logs(name, LogQuery.ALL);
    }

    protected List<LogLine> logs(String name, LogQuery query) {
        try (Stream<LogLine> lines = client.logs(name, query)) {
            return lines.toList();
        }
    }

    /** The texts of the workload's stdout lines, in order. */
    protected List<String> stdout(String name) {
        return logs(name).stream().filter(l -> l.stream() == LogStream.STDOUT).map(LogLine::text).toList();
    }

    protected void awaitLogLine(String name, String text) {
        Await.until(WAIT, () -> logs(name).stream().anyMatch(l -> l.text().equals(text)),
                "workload " + name + " to log the line '" + text + "'");
    }

    protected ExecResult exec(String name, String... argv) {
        return client.exec(name, ExecRequest.of(argv));
    }

    /** Names of every workload the engine lists, running or not. */
    protected Set<String> workloadNames() {
        return client.list(true).stream().map(WorkloadStatus::name).collect(Collectors.toSet());
    }

    /** The BerthException {@code call} throws; fails when it throws none or another error. */
    protected BerthException berthError(ThrowingCallable call) {
        BerthException error = catchThrowableOfType(BerthException.class, call);
        assertThat(error).as("expected a BerthException").isNotNull();
        return error;
    }

    /** Asserts that {@code call} fails with {@code code} and returns the error for further checks. */
    protected BerthException expectError(ErrorCode code, ThrowingCallable call) {
        BerthException error = berthError(call);
        assertThat(error.code()).as("error code of: %s", error.getMessage()).isEqualTo(code);
        return error;
    }

    /** Asserts that the engine has no workload {@code name}: list omits it and inspect says not_found. */
    protected void assertNoWorkload(String name) {
        assertThat(workloadNames()).doesNotContain(name);
        expectError(ErrorCode.NOT_FOUND, () -> client.inspect(name));
    }

    private void removeAll(List<String> workloads, List<String> networks) {
        var failures = new ArrayList<RuntimeException>();
        for (String name : workloads) {
            try {
                client.remove(name, true);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (String name : networks) {
            try {
                client.removeNetwork(name);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            var error = new AssertionError("cleanup left resources behind: " + failures.stream()
                    .map(Throwable::getMessage).collect(Collectors.joining("; ")));
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete the conformance data dir " + root, e);
        }
    }

    private static String randomId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var random = ThreadLocalRandom.current();
        var id = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
