package dev.berth.api.spec;

import java.util.List;

/** Linux capabilities added to or dropped from the backend's default set (names with or without CAP_). */
public record CapabilityChanges(List<String> add, List<String> drop) {
    public static final CapabilityChanges NONE = new CapabilityChanges(List.of(), List.of());

    public CapabilityChanges {
        add = add == null ? List.of() : add.stream().map(CapabilityChanges::canonical).toList();
        drop = drop == null ? List.of() : drop.stream().map(CapabilityChanges::canonical).toList();
    }

    /** {@code net_admin} and {@code CAP_NET_ADMIN} both become {@code NET_ADMIN}. */
    static String canonical(String name) {
        if (name == null) {
            return null;
        }
        String upper = name.trim().toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("CAP_") ? upper.substring(4) : upper;
    }

    boolean isEmpty() {
        return add.isEmpty() && drop.isEmpty();
    }
}
