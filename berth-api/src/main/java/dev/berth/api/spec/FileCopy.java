package dev.berth.api.spec;

/**
 * An archive on the caller's machine (tar, tar.gz or zip) extracted into the workload at
 * {@code path} before it starts.
 */
public record FileCopy(String path, String archive) {
}
