package dev.berth.docker.api;

/**
 * HTTP 409: name already in use, container not running, removal in progress and similar. Also
 * raised for Podman's 500 "already in use", so {@link #status()} is the status actually received.
 */
public final class ConflictException extends DockerApiException {
    public ConflictException(String message) {
        super(409, message);
    }

    public ConflictException(int status, String message) {
        super(status, message);
    }
}
