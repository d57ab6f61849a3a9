package dev.berth.api.model;

/** A network as a backend realised it. */
public record NetworkInfo(String name, String backend, String id, boolean internal, String subnet, String gateway) {
}
