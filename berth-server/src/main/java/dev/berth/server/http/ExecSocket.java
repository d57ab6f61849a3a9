package dev.berth.server.http;

import dev.berth.api.client.BerthClient;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.ExecEvent;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.LogStream;
import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive exec over a WebSocket at {@code /v1/workloads/{name}/exec/ws}. The client's first
 * text message is the {@link ExecRequest} as JSON; then binary messages are stdin and a text
 * message {@code {"eof":true}} closes stdin. The server sends output as binary messages whose
 * first byte is the stream (1 stdout, 2 stderr) and ends with a text message
 * {@code {"exitCode":N}} (or {@code {"error":{...}}}) before closing.
 */
final class ExecSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSocket.class);
    static final String PATH = "/v1/workloads/{name}/exec/ws";

    private final BerthClient client;
    private final Map<String, ExecSession> sessions = new ConcurrentHashMap<>();

    ExecSocket(BerthClient client) {
        this.client = client;
    }

    record Control(Boolean eof) {
    }

    void register(RoutesConfig routes) {
        routes.ws(PATH, ws -> {
            ws.onMessage(ctx -> {
                ExecSession session = sessions.get(ctx.sessionId());
                if (session == null) {
                    open(ctx, ctx.message());
                } else if (Boolean.TRUE.equals(ApiJson.strict().forType(Control.class).<Control>readValue(ctx.message()).eof())) {
                    session.stdin().close();
                }
            });
            ws.onBinaryMessage(ctx -> {
                ExecSession session = sessions.get(ctx.sessionId());
                if (session != null) {
                    ByteBuffer data = ctx.data();
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    session.stdin().write(bytes);
                    session.stdin().flush();
                }
            });
            ws.onClose(ctx -> {
                ExecSession session = sessions.remove(ctx.sessionId());
                if (session != null) {
                    session.close();
                }
            });
        });
    }

    private void open(WsContext ctx, String requestJson) {
        try {
            ExecRequest request = ApiJson.strict().forType(ExecRequest.class).readValue(requestJson);
            ExecSession session = client.execStream(ctx.pathParam("name"), request);
            sessions.put(ctx.sessionId(), session);
            Thread.ofVirtual().name("exec-ws-" + ctx.sessionId()).start(() -> pump(ctx, session));
        } catch (BerthException e) {
            finish(ctx, Map.of("error", ApiError.of(e)));
        } catch (IOException | RuntimeException e) {
            finish(ctx, Map.of("error", ApiError.of(new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "the first message must be an ExecRequest as JSON: " + e.getMessage()))));
        }
    }

    private void pump(WsContext ctx, ExecSession session) {
        try {
            for (ExecEvent event = session.next(); event != null; event = session.next()) {
                switch (event) {
                    case ExecEvent.Output out -> ctx.send(frame(out));
                    case ExecEvent.Exited exited -> {
                        finish(ctx, Map.of("exitCode", exited.exitCode()));
                        return;
                    }
                }
            }
        } catch (BerthException e) {
            finish(ctx, Map.of("error", ApiError.of(e)));
        } catch (RuntimeException e) {
            LOG.debug("exec session {} ended: {}", ctx.sessionId(), e.toString());
        } finally {
            sessions.remove(ctx.sessionId());
            session.close();
        }
    }

    private static ByteBuffer frame(ExecEvent.Output out) {
        ByteBuffer buffer = ByteBuffer.allocate(out.data().length + 1);
        buffer.put((byte) (out.stream() == LogStream.STDERR ? 2 : 1)).put(out.data()).flip();
        return buffer;
    }

    private static void finish(WsContext ctx, Map<String, Object> last) {
        try {
            ctx.send(ApiJson.mapper().writeValueAsString(last));
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot send the end of exec session {}: {}", ctx.sessionId(), e.toString());
        }
        ctx.closeSession();
    }
}
