package dev.berth.image.testing;

import dev.berth.image.unpack.TestLayer;
import java.util.Map;

/**
 * Three layers that exercise whiteouts, as the issue describes them: the first lays out files, the
 * second deletes ({@code etc/.wh.gone}, {@code tmp/.wh.x}) and makes {@code app/old} opaque after
 * writing {@code app/old/c} (so the layer's own file must survive its marker), the third
 * re-creates {@code etc/gone}. {@link #FLATTENED} is the image they make.
 */
public final class WhiteoutLayers {
    /** The image's tree, as {@link FileTreeView} shows it: no {@code .wh.} names, no devices. */
    public static final Map<String, String> FLATTENED = Map.of(
            "app", "dir",
            "app/old", "dir",
            "app/old/c", "file:c from layer 2",
            "etc", "dir",
            "etc/gone", "file:gone, then back in layer 3",
            "etc/keep", "file:keep",
            "tmp", "dir");

    private WhiteoutLayers() {
    }

    public static byte[] base() {
        return TestLayer.pax().dir("etc").file("etc/keep", "keep").file("etc/gone", "gone")
                .dir("app").dir("app/old").file("app/old/a", "a").file("app/old/b", "b")
                .dir("tmp").file("tmp/x", "x").tar();
    }

    public static byte[] whiteouts() {
        return TestLayer.pax().whiteout("etc/gone").dir("app/old").file("app/old/c", "c from layer 2").opaque("app/old")
                .whiteout("tmp/x").tar();
    }

    public static byte[] recreate() {
        return TestLayer.pax().file("etc/gone", "gone, then back in layer 3").tar();
    }
}
