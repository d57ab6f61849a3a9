package dev.berth.docker.api;

/** HTTP 409: name already in use, container not running, removal in progress and similar. */
public final class ConflictException extends DockerApiException {
    public ConflictException(String message) {
        super(409, message);
    }
}
