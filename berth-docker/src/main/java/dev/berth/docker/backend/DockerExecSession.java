package dev.berth.docker.backend;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.ExecEvent;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.LogStream;
import dev.berth.docker.api.ExecApi;
import dev.berth.docker.api.ExecConnection;
import dev.berth.docker.api.Frame;
import dev.berth.docker.api.StreamType;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A streaming exec over the hijacked connection: output frames as events, then the exit code. */
final class DockerExecSession implements ExecSession {
    private final ExecApi api;
    private final String execId;
    private final ExecConnection connection;
    private final OutputStream stdin;
    private boolean exited;

    DockerExecSession(ExecApi api, String execId, ExecConnection connection) {
        this.api = api;
        this.execId = execId;
        this.connection = connection;
        // Closing stdin half-closes the connection, which is how the process sees end of input.
        this.stdin = new FilterOutputStream(connection.stdin()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
                connection.closeStdin();
            }
        };
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public ExecEvent next() {
        if (exited) {
            return null;
        }
        try {
            Frame f = connection.frames().next();
            if (f != null) {
                return new ExecEvent.Output(f.stream() == StreamType.STDERR ? LogStream.STDERR : LogStream.STDOUT, f.data());
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "reading exec output failed: " + e.getMessage(), e);
        }
        exited = true;
        Integer code;
        try {
            code = api.inspect(execId).exitCode();
        } catch (dev.berth.docker.api.DockerException e) {
            throw DockerErrors.translate("engine", "exec exit code", e);
        }
        return new ExecEvent.Exited(code == null ? -1 : code);
    }

    @Override
    public void close() {
        connection.close();
    }
}
