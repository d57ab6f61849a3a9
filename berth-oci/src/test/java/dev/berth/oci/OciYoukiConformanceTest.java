package dev.berth.oci;

import java.util.Set;

/**
 * The conformance kit against youki under conmon. Skipped with the backend's reason where youki
 * cannot run: youki is not packaged in Debian 12, so it runs only where someone installed it.
 */
class OciYoukiConformanceTest extends OciRuntimeConformance {
    OciYoukiConformanceTest() {
        super("youki", true, Set.of());
    }
}
