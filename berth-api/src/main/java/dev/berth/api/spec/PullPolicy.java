package dev.berth.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/** When a backend pulls the workload's image. */
public enum PullPolicy implements WireEnum {
    ALWAYS("Always"),
    IF_NOT_PRESENT("IfNotPresent"),
    NEVER("Never");

    private final String wire;

    PullPolicy(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static PullPolicy parse(String value) {
        return WireEnum.parse(PullPolicy.class, "pullPolicy", value);
    }
}
