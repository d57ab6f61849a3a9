package dev.berth.docker.api;

/**
 * The daemon reported a failure inside a streamed 200 response (pull/import progress), where the
 * HTTP status already said "OK". {@link #status()} is that HTTP status.
 */
public final class StreamErrorException extends DockerApiException {
    public StreamErrorException(int status, String message) {
        super(status, message);
    }
}
