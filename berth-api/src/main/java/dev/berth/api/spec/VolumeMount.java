package dev.berth.api.spec;

/** A named persistent volume owned by the workload; {@code encrypted} asks for LUKS2 where supported. */
public record VolumeMount(String name, String mountPath, String size, Boolean encrypted, Boolean readOnly) {
    public VolumeMount {
        encrypted = encrypted != null && encrypted;
        readOnly = readOnly != null && readOnly;
    }
}
