package dev.berth.image.imports;

import dev.berth.image.store.Descriptor;
import java.io.IOException;

/** Where an import finds the blobs a manifest names; {@link #ensure} makes one present (verified) in the store. */
@FunctionalInterface
interface BlobSource {
    void ensure(Descriptor blob) throws IOException;
}
