package dev.berth.docker.api;

import java.io.IOException;

/** Talking to the socket failed (daemon gone, connection reset, ...). Names the socket so logs are actionable. */
public final class DockerIOException extends DockerException {
    private final String endpoint;

    public DockerIOException(String endpoint, String what, IOException cause) {
        super(what + " on " + endpoint + ": " + describe(cause), cause);
        this.endpoint = endpoint;
    }

    /** The socket path or TCP address the failure happened on. */
    public String endpoint() {
        return endpoint;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
