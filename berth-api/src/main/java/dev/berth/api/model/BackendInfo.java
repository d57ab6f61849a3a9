package dev.berth.api.model;

import java.util.List;

/**
 * What {@code berth info} shows for one backend: whether it is reachable, the engine it talks
 * to, and features that are degraded on this machine.
 */
public record BackendInfo(String name, boolean available, String engine, String version, String apiVersion,
                          String endpoint, List<String> degraded, String error) {
    public BackendInfo {
        degraded = degraded == null ? List.of() : List.copyOf(degraded);
    }

    public static BackendInfo unavailable(String name, String error) {
        return new BackendInfo(name, false, null, null, null, null, List.of(), error);
    }
}
