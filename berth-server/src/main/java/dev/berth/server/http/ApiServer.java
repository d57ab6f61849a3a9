package dev.berth.server.http;

import dev.berth.api.client.BerthClient;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP side: Javalin on Jetty with a unix-socket connector (mode 0600, trusted like
 * the socket's owner) and, optionally, a TCP connector on which every request needs the bearer
 * token. Errors are always JSON {@link ApiError}s; nothing a client sends produces a 5xx unless
 * the engine itself failed.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    static final String TCP_CONNECTOR = "tcp";

    private final Javalin app;
    private final Path socket;

    private ApiServer(Javalin app, Path socket) {
        this.app = app;
        this.socket = socket;
    }

    /** Where to listen: a unix socket (required) and an optional TCP address guarded by {@code token}. */
    public record Listen(Path socket, InetSocketAddress tcp, String token) {
        public Listen {
            if (tcp != null && (token == null || token.isBlank())) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "--tcp needs a bearer token (--token or --token-file)", "token", null);
            }
        }
    }

    public static ApiServer start(BerthClient client, Listen listen) {
        prepareSocket(listen.socket());
        byte[] token = listen.token() == null ? null : listen.token().getBytes(StandardCharsets.UTF_8);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.maxRequestSize = Requests.MAX_BODY;
            config.http.defaultContentType = "application/json";
            config.jsonMapper(new JavalinJackson(ApiJson.mapper(), true));
            config.jetty.port = -1;
            config.jetty.addConnector((server, http) -> {
                var connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
                connector.setUnixDomainPath(listen.socket());
                return connector;
            });
            if (listen.tcp() != null) {
                config.jetty.addConnector((server, http) -> {
                    var connector = new ServerConnector(server, new HttpConnectionFactory(http));
                    connector.setName(TCP_CONNECTOR);
                    connector.setHost(listen.tcp().getHostString());
                    connector.setPort(listen.tcp().getPort());
                    return connector;
                });
            }
            var routes = config.routes;
            routes.before(ctx -> authorize(ctx, token));
            routes.wsBeforeUpgrade(ExecSocket.PATH, ctx -> authorize(ctx, token));
            new WorkloadRoutes(client).register(routes);
            new ImageRoutes(client).register(routes);
            new SystemRoutes(client).register(routes);
            new ExecSocket(client).register(routes);
            routes.get("/v1/openapi.json", ApiServer::openApi);
            routes.exception(BerthException.class, (e, ctx) -> fail(ctx, e));
            routes.exception(HttpResponseException.class, (e, ctx) -> fail(ctx, fromJavalin(e, ctx)));
            routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                fail(ctx, new BerthException(ErrorCode.INTERNAL, "internal error: " + e));
            });
            routes.error(404, ctx -> {
                String result = ctx.result();
                if (result == null || !result.startsWith("{")) {
                    fail(ctx, new BerthException(ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + ctx.path()));
                }
            });
            routes.error(405, ctx -> fail(ctx, new BerthException(ErrorCode.INVALID_ARGUMENT,
                    "method " + ctx.method() + " not allowed on " + ctx.path())));
        });
        app.start();
        restrictSocket(listen.socket());
        return new ApiServer(app, listen.socket());
    }

    /** The TCP port actually bound (useful with port 0), or -1 without TCP. */
    public int tcpPort() {
        for (var connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector tcp && TCP_CONNECTOR.equals(tcp.getName())) {
                return tcp.getLocalPort();
            }
        }
        return -1;
    }

    private static void authorize(Context ctx, byte[] token) {
        var request = org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req());
        boolean tcp = request == null || !(request.getConnectionMetaData().getConnector() instanceof UnixDomainServerConnector);
        if (!tcp) {
            return;
        }
        String header = ctx.header("Authorization");
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (token == null || !MessageDigest.isEqual(token, given)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new BerthException(ErrorCode.UNAUTHORIZED, "missing or wrong bearer token (Authorization: Bearer <token>)");
        }
    }

    static void fail(Context ctx, BerthException e) {
        ctx.status(e.code().httpStatus()).json(ApiError.of(e));
    }

    private static BerthException fromJavalin(HttpResponseException e, Context ctx) {
        return switch (e.getStatus()) {
            case 413 -> new BerthException(ErrorCode.PAYLOAD_TOO_LARGE, e.getMessage());
            case 404 -> new BerthException(ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + ctx.path());
            case 405 -> new BerthException(ErrorCode.INVALID_ARGUMENT, "method " + ctx.method() + " not allowed on " + ctx.path());
            default -> new BerthException(e.getStatus() < 500 ? ErrorCode.INVALID_ARGUMENT : ErrorCode.INTERNAL, e.getMessage());
        };
    }

    private static void openApi(Context ctx) {
        try (InputStream in = ApiServer.class.getResourceAsStream("/openapi.json")) {
            ctx.contentType("application/json").result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates the socket's directory (0700 when Berth creates it) and removes a stale socket left by
     * a crashed daemon; a socket something still answers on is another daemon: refused.
     */
    private static void prepareSocket(Path socket) {
        try {
            Path dir = socket.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (Files.exists(socket) && answers(socket)) {
                throw new BerthException(ErrorCode.CONFLICT, "a daemon is already listening on " + socket, "socket", null);
            }
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot prepare socket " + socket + ": " + e.getMessage(), "socket", e);
        }
    }

    private static boolean answers(Path socket) {
        try (var channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            return channel.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private static void restrictSocket(Path socket) {
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot restrict " + socket + " to mode 0600: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        app.stop();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("cannot remove socket {}: {}", socket, e.getMessage());
        }
    }
}
