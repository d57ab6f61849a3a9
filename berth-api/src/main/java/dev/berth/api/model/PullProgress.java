package dev.berth.api.model;

/** A pull progress event: per layer (or for the whole image when {@code layer} is null). */
public record PullProgress(String image, String layer, String status, long currentBytes, long totalBytes) {
}
