package dev.berth.docker.api;

import java.io.IOException;
import java.nio.file.Path;

/** Talking to the socket failed (daemon gone, connection reset, ...). Names the socket so logs are actionable. */
public final class DockerIOException extends DockerException {
    private final Path socket;

    public DockerIOException(Path socket, String what, IOException cause) {
        super(what + " on " + socket + ": " + describe(cause), cause);
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
