package dev.berth.api.spec;

/** A tmpfs mounted at {@code path}; size in size units, {@code exec} allows executing files from it. */
public record TmpfsMount(String path, String size, Boolean exec, String mode) {
    public TmpfsMount {
        exec = exec != null && exec;
    }

    public Long sizeBytes() {
        return size == null ? null : Quantities.parseBytes("tmpfs.size", size);
    }
}
