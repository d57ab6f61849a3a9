package dev.berth.docker.api;

/** Discovery found no usable socket, or the configured endpoint is of a kind we do not support (tcp://, ssh://). */
public final class DockerUnavailableException extends DockerException {
    public DockerUnavailableException(String message) {
        super(message);
    }
}
