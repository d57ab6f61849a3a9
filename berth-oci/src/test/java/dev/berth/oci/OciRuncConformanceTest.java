package dev.berth.oci;

import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.SpecField;
import dev.berth.testkit.ConformanceSuite;
import java.util.Map;
import java.util.Set;

/** The conformance kit against runc under conmon, with Berth's bridge fabric for networks. */
class OciRuncConformanceTest extends ConformanceSuite {
    @Override
    protected BackendProvider provider() {
        return OciBackendProvider.oci();
    }

    @Override
    protected Map<String, String> backendSettings() {
        return Map.of(OciBackendProvider.RUNTIME, "runc");
    }

    @Override
    public Set<SpecField> unsupportedFields() {
        return Set.of(SpecField.SECURITY_GROUPS, SpecField.VOLUME_SIZE, SpecField.VOLUME_ENCRYPTED, SpecField.USER_DATA,
                SpecField.KEEP_ALIVE);
    }
}
