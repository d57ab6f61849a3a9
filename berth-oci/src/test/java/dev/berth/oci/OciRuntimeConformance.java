package dev.berth.oci;

import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.SpecField;
import dev.berth.testkit.ConformanceSuite;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * The conformance kit against the oci backend on one runtime under conmon, with Berth's bridge
 * fabric for networks. An optional runtime (one this host may not be able to run) is skipped with
 * the backend's reason even when the oci backend is required (BERTH_REQUIRE_BACKENDS): that
 * requirement is on the runtimes the host provides, runc and runsc.
 */
abstract class OciRuntimeConformance extends ConformanceSuite {
    /** What the oci backend rejects on every runtime. */
    private static final Set<SpecField> UNSUPPORTED = Set.of(SpecField.SECURITY_GROUPS, SpecField.VOLUME_SIZE,
            SpecField.VOLUME_ENCRYPTED, SpecField.USER_DATA, SpecField.KEEP_ALIVE);

    private final String runtime;
    private final boolean optional;
    private final Set<SpecField> alsoUnsupported;

    OciRuntimeConformance(String runtime, boolean optional, Set<SpecField> alsoUnsupported) {
        this.runtime = runtime;
        this.optional = optional;
        this.alsoUnsupported = alsoUnsupported;
    }

    @Override
    protected BackendProvider provider() {
        return OciBackendProvider.oci();
    }

    @Override
    protected Map<String, String> backendSettings() {
        return Map.of(OciBackendProvider.RUNTIME, runtime);
    }

    @Override
    protected void assumeAvailable() {
        try {
            super.assumeAvailable();
        } catch (AssertionError e) {
            if (!optional) {
                throw e;
            }
            Assumptions.abort(getClass().getSimpleName() + " skipped: " + e.getMessage());
        }
    }

    @Override
    public Set<SpecField> unsupportedFields() {
        var fields = EnumSet.copyOf(UNSUPPORTED);
        fields.addAll(alsoUnsupported);
        return fields;
    }
}
