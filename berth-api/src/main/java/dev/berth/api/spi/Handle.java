package dev.berth.api.spi;

/** A backend's own id for a workload (container id, pod name, OCI id): replaceable, never shown as the name. */
public record Handle(String backend, String id) {
}
