package dev.berth.engine;

/** Berth's own version, shown by {@code berth version} and {@code berth info}. */
public final class BerthVersion {
    public static final String VERSION = "0.1.0";

    private BerthVersion() {
    }
}
