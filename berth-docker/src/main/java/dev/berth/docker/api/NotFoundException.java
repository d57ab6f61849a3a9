package dev.berth.docker.api;

/** HTTP 404: no such container, image, network or exec. */
public final class NotFoundException extends DockerApiException {
    public NotFoundException(String message) {
        super(404, message);
    }
}
