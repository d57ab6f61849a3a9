package dev.berth.image.unpack;

/** Unpackers for tests in other packages. */
public final class TestUnpackers {
    private TestUnpackers() {
    }

    /** This host seen as an unprivileged user: no owners, devices, trusted xattrs or overlay whiteouts. */
    public static LayerUnpacker unprivileged() {
        return new LayerUnpacker(HostTools.detect().unprivileged());
    }

    /** Whether this process can make overlay whiteouts (root, with setfattr). */
    public static boolean canMakeOverlayWhiteouts() {
        return HostTools.detect().canSetXattrs();
    }
}
