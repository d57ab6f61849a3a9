package dev.berth.api.model;

import java.time.Instant;
import java.util.List;

/** An image known to a backend or to Berth's store. */
public record ImageInfo(String id, List<String> tags, long sizeBytes, Instant created) {
    public ImageInfo {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
