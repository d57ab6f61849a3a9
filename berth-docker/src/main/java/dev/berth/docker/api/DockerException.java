package dev.berth.docker.api;

/** Root of everything this client throws; unchecked so callers on virtual threads can stay terse. */
public class DockerException extends RuntimeException {
    public DockerException(String message) {
        super(message);
    }

    public DockerException(String message, Throwable cause) {
        super(message, cause);
    }
}
