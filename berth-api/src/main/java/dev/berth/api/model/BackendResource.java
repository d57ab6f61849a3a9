package dev.berth.api.model;

/**
 * A backend resource carrying Berth's ownership labels, as the reaper, {@code prune --owner} and
 * {@code berth info} report it. {@code owner}, {@code workload} and {@code generation} are the
 * label values ({@code dev.berth.owner}, {@code dev.berth.workload}, {@code dev.berth.generation}),
 * null where the resource has none.
 */
public record BackendResource(String backend, Kind kind, String id, String name, String owner, String workload,
                              String generation) {
    public enum Kind { WORKLOAD, NETWORK, VOLUME }

    /** "workload web-1 (3f2a9c1b0d4e) on docker", for one-line reports. */
    public String describe() {
        String shortId = id == null ? null : id.length() > 12 ? id.substring(0, 12) : id;
        String label = name != null && !name.isEmpty() ? name : shortId;
        String idPart = shortId != null && !shortId.equals(label) ? " (" + shortId + ")" : "";
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + label + idPart + " on " + backend;
    }
}
