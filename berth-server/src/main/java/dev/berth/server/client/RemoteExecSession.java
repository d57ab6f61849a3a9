package dev.berth.server.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.ExecEvent;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.LogStream;
import dev.berth.docker.api.HijackedConnection;
import dev.berth.server.http.ApiError;
import dev.berth.server.http.ApiJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/** An interactive exec over the daemon's WebSocket (see the server's ExecSocket for the protocol). */
final class RemoteExecSession implements ExecSession {
    private static final byte[] EOF = "{\"eof\":true}".getBytes(StandardCharsets.UTF_8);

    private final HijackedConnection connection;
    private final WebSocketChannel socket;
    private final OutputStream stdin;
    private boolean exited;

    private RemoteExecSession(HijackedConnection connection) {
        this.connection = connection;
        this.socket = new WebSocketChannel(connection.input(), connection.output());
        this.stdin = new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                socket.send(WebSocketChannel.BINARY, Arrays.copyOfRange(b, off, off + len));
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    socket.send(WebSocketChannel.TEXT, EOF);
                }
            }
        };
    }

    static RemoteExecSession open(DaemonHttp http, String path, ExecRequest request) {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        HijackedConnection connection = http.upgradeToWebSocket(http.request("GET", path), Base64.getEncoder().encodeToString(nonce));
        var session = new RemoteExecSession(connection);
        try {
            session.socket.send(WebSocketChannel.TEXT, ApiJson.mapper().writeValueAsBytes(request));
        } catch (IOException e) {
            connection.close();
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "cannot start the exec session: " + e.getMessage(), e);
        }
        return session;
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
            WebSocketChannel.Message message = socket.receive();
            if (message == null || message.opcode() == WebSocketChannel.CLOSE) {
                throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "the daemon closed the exec session before the command exited");
            }
            byte[] payload = message.payload();
            if (message.opcode() == WebSocketChannel.BINARY && payload.length > 0) {
                LogStream stream = payload[0] == 2 ? LogStream.STDERR : LogStream.STDOUT;
                return new ExecEvent.Output(stream, Arrays.copyOfRange(payload, 1, payload.length));
            }
            JsonNode node = ApiJson.mapper().readTree(payload);
            if (node.has("error")) {
                exited = true;
                throw ApiJson.mapper().treeToValue(node.get("error"), ApiError.class).toException();
            }
            exited = true;
            return new ExecEvent.Exited(node.path("exitCode").asInt(-1));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "the exec session broke off: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        socket.close();
        connection.close();
    }
}
