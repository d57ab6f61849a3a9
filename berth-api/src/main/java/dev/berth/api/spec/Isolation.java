package dev.berth.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/** How strongly a workload is isolated: {@code sandbox} asks for gVisor where the backend can. */
public enum Isolation implements WireEnum {
    DEFAULT("default"),
    SANDBOX("sandbox");

    private final String wire;

    Isolation(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static Isolation parse(String value) {
        return WireEnum.parse(Isolation.class, "isolation", value);
    }
}
