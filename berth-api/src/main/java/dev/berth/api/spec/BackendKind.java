package dev.berth.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The backends a workload can name in its spec. */
public enum BackendKind implements WireEnum {
    DOCKER("docker"),
    PODMAN("podman"),
    OCI("oci"),
    KUBERNETES("kubernetes");

    private final String wire;

    BackendKind(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static BackendKind parse(String value) {
        return WireEnum.parse(BackendKind.class, "backend", value);
    }
}
