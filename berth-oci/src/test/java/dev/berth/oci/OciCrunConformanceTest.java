package dev.berth.oci;

import java.util.Set;

/**
 * The conformance kit against crun under conmon. Skipped with the backend's reason where crun
 * cannot run: crun 1.8 refuses a cgroup v1 hybrid host whose cgroup2 hierarchy has controllers,
 * as this one does.
 */
class OciCrunConformanceTest extends OciRuntimeConformance {
    OciCrunConformanceTest() {
        super("crun", true, Set.of());
    }
}
