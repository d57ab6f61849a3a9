package dev.berth.api.model;

import dev.berth.api.spec.Names;

/** A Berth network: a name, whether it has no route out ({@code internal}), and an optional subnet. */
public record NetworkSpec(String name, boolean internal, String subnet) {
    public NetworkSpec {
        Names.require("network name", name);
    }
}
