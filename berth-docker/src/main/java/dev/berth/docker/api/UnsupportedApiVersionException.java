package dev.berth.docker.api;

/** The daemon cannot speak any API version this client supports. */
public final class UnsupportedApiVersionException extends DockerException {
    public UnsupportedApiVersionException(String message) {
        super(message);
    }
}
