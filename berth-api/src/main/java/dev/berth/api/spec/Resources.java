package dev.berth.api.spec;

/** CPU, memory and process limits. Memory uses size units (256Mi); null means no limit. */
public record Resources(Double cpus, String memory, Integer pids) {
    public static final Resources NONE = new Resources(null, null, null);

    public Long memoryBytes() {
        return memory == null ? null : Quantities.parseBytes("resources.memory", memory);
    }

    boolean isEmpty() {
        return cpus == null && memory == null && pids == null;
    }
}
