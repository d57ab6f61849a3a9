package dev.berth.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Restart policies, with Docker's meaning. */
public enum RestartMode implements WireEnum {
    NO("no"),
    ON_FAILURE("on-failure"),
    ALWAYS("always"),
    UNLESS_STOPPED("unless-stopped");

    private final String wire;

    RestartMode(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static RestartMode parse(String value) {
        return WireEnum.parse(RestartMode.class, "restart.policy", value);
    }
}
