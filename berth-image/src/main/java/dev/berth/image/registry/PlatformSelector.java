package dev.berth.image.registry;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Platform;
import dev.berth.image.store.Descriptor;
import dev.berth.image.store.Manifest;
import dev.berth.image.store.MediaTypes;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Protocol step: pick the manifest for a platform from an index. Entries for
 * {@code unknown/unknown} (attestations) and nested indexes are skipped; among matching
 * entries, the one with the exact variant wins. An index with a single entry that names no
 * platform (common in OCI layouts) selects that entry.
 */
public final class PlatformSelector {
    private PlatformSelector() {
    }

    public static Descriptor select(Manifest.Index index, Platform wanted, String image) {
        List<Descriptor> images = index.manifests().stream()
                .filter(d -> d.mediaType() == null || MediaTypes.isManifest(d.mediaType()))
                .filter(d -> d.platform() == null || !d.platform().isUnknown())
                .toList();
        if (images.size() == 1 && images.getFirst().platform() == null) {
            return images.getFirst();
        }
        List<Descriptor> accepted = images.stream().filter(d -> wanted.accepts(d.platform())).toList();
        return accepted.stream().filter(d -> wanted.exactVariant(d.platform())).findFirst()
                .or(() -> accepted.stream().findFirst())
                .orElseThrow(() -> new BerthException(ErrorCode.IMAGE_NOT_FOUND, "image " + image
                        + " has no manifest for platform " + wanted + "; it has: " + available(images)));
    }

    private static String available(List<Descriptor> images) {
        String list = images.stream().map(d -> String.valueOf(d.platform())).distinct().collect(Collectors.joining(", "));
        return list.isEmpty() ? "none" : list;
    }
}
