package dev.berth.oci;

import java.util.Set;

/** The conformance kit against runc under conmon, with Berth's bridge fabric for networks. */
class OciRuncConformanceTest extends OciRuntimeConformance {
    OciRuncConformanceTest() {
        super("runc", false, Set.of());
    }
}
