package dev.berth.docker.api;

/**
 * The daemon answered with an error status. {@link #message()} is the daemon's own {@code message}
 * field, which is what users need to see (e.g. "No such container: abc").
 */
public class DockerApiException extends DockerException {
    private final int status;
    private final String daemonMessage;

    public DockerApiException(int status, String message) {
        super("Docker API error " + status + ": " + message);
        this.status = status;
        this.daemonMessage = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return daemonMessage;
    }

    public boolean isNotFound() {
        return this instanceof NotFoundException;
    }

    public boolean isConflict() {
        return this instanceof ConflictException;
    }

    /** Picks the most specific subclass so callers can catch NotFound / Conflict directly. */
    static DockerApiException of(int status, String message) {
        return switch (status) {
            case 404 -> new NotFoundException(message);
            case 409 -> new ConflictException(status, message);
            // Podman 4.3 answers a duplicate container name with 500 where Docker says 409.
            case 500 -> message.contains("already in use") ? new ConflictException(status, message)
                    : new DockerApiException(status, message);
            default -> new DockerApiException(status, message);
        };
    }
}
