package dev.berth.testkit;

import dev.berth.api.spi.SpecField;
import java.util.Set;

/**
 * The conformance kit: every scenario a Berth backend must pass, written once and run against a
 * real runtime by one small subclass per backend. The scenarios drive the public
 * {@link dev.berth.api.client.BerthClient} of an in-process engine and assert what a user would
 * see: exit codes, log lines, exec output, HTTP replies.
 *
 * <h2>Adding a backend</h2>
 * In the backend module's tests (with {@code berth-testkit} as a test dependency):
 * <pre>{@code
 * class DockerConformanceTest extends ConformanceSuite {
 *     @Override
 *     protected BackendProvider provider() {
 *         return DockerBackendProvider.docker();
 *     }
 *
 *     @Override
 *     public Set<SpecField> unsupportedFields() {
 *         return Set.of(SpecField.VOLUME_ENCRYPTED, SpecField.SECURITY_GROUPS);
 *     }
 * }
 * }</pre>
 * Override {@link #backendSettings()} to pass settings such as {@code socket}. When the engine's
 * {@code info()} reports the backend unavailable (no daemon running), the whole class is skipped
 * with the reason; start the runtime first (e.g. {@code scripts/start-docker.sh}).
 *
 * <h2>What it needs</h2>
 * Debian's {@code busybox-static} on the machine running the tests: the test images
 * ({@link TestImages}) are built from it and imported through the client, never pulled. The
 * internal-network scenario runs an HTTP server on the host; nothing outside the machine is
 * contacted.
 *
 * <h2>Degraded backends</h2>
 * Where a backend reports a degraded mode in {@code info()} (e.g. "internal networks: ... the
 * host's own addresses stay reachable", or OOM detection), the scenario that checks exactly that
 * property is skipped with the backend's note as the reason; everything else is still asserted.
 *
 * <h2>Scenarios</h2>
 * {@code Lifecycle}, {@code ImageCommand} (ENTRYPOINT/CMD), {@code ProcessSettings} (env,
 * workingDir, user), {@code Stop} (grace), {@code Logs}, {@code Exec}, {@code ResourceStats},
 * {@code Networks}, {@code Ports}, {@code Files}, {@code Readiness}, {@code RestartAndRemove} and
 * {@code Validation} (invalid names, name in use, unsupported fields, missing image, ownership
 * labels). One engine serves the whole class; every workload and network a test creates is
 * removed after it.
 */
public abstract class ConformanceSuite extends BackendConformance implements ExecCases, FileCases, ImageCommandCases, LifecycleCases, LogCases, NetworkCases, PortCases, ProcessSettingsCases, ReadinessCases, RestartRemoveCases, StatsCases, StopCases, ValidationCases {

    /** The spec fields this backend must reject as unsupported, naming field and backend. */
    public abstract Set<SpecField> unsupportedFields();

    @Override
    public final BackendConformance kit() {
        return this;
    }
}
