package dev.berth.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Transport protocol of a published port. */
public enum Protocol implements WireEnum {
    TCP("tcp"),
    UDP("udp"),
    SCTP("sctp");

    private final String wire;

    Protocol(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static Protocol parse(String value) {
        return WireEnum.parse(Protocol.class, "ports[].protocol", value);
    }
}
