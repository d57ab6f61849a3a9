package dev.berth.docker.api;

import java.io.IOException;

/** Talking to the socket failed (daemon gone, connection reset, ...). Names the socket so logs are actionable. */
public final class DockerIOException extends DockerException {
    private final String endpoint;
    private final boolean connecting;

    public DockerIOException(String endpoint, String what, IOException cause) {
        this(endpoint, what, cause, false);
    }

    private DockerIOException(String endpoint, String what, IOException cause, boolean connecting) {
        super(what + " on " + endpoint + ": " + describe(cause), cause);
        this.endpoint = endpoint;
        this.connecting = connecting;
    }

    /** Nothing answered at {@code endpoint}: the connection itself could not be made. */
    static DockerIOException connecting(String endpoint, String what, IOException cause) {
        return new DockerIOException(endpoint, what, cause, true);
    }

    /** Whether the connection could not even be made (as opposed to breaking off later). */
    public boolean connecting() {
        return connecting;
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
