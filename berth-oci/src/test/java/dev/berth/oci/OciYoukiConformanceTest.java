package dev.berth.oci;

import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.SpecField;
import dev.berth.testkit.ConformanceSuite;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * The conformance kit against youki under conmon. Skipped with the backend's reason where youki
 * cannot run: youki is not packaged in Debian 12, so it runs only where someone installed it. Skipped even when the oci backend is required
 * (BERTH_REQUIRE_BACKENDS): that requirement is on its default runtime, runc.
 */
class OciYoukiConformanceTest extends ConformanceSuite {
    @Override
    protected BackendProvider provider() {
        return OciBackendProvider.oci();
    }

    @Override
    protected Map<String, String> backendSettings() {
        return Map.of(OciBackendProvider.RUNTIME, "youki");
    }

    @Override
    protected void assumeAvailable() {
        try {
            super.assumeAvailable();
        } catch (AssertionError e) {
            Assumptions.abort(getClass().getSimpleName() + " skipped: " + e.getMessage());
        }
    }

    @Override
    public Set<SpecField> unsupportedFields() {
        return Set.of(SpecField.SECURITY_GROUPS, SpecField.VOLUME_SIZE, SpecField.VOLUME_ENCRYPTED, SpecField.USER_DATA,
                SpecField.KEEP_ALIVE);
    }
}
