package dev.berth.image.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.image.ref.Digest;
import dev.berth.image.store.ImageJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A distribution-API registry in memory on 127.0.0.1, for what the real one cannot show: a token
 * realm (bearer flow), corrupted blobs, a connection cut mid-blob, redirects to storage, and
 * which requests arrived. Not a complete registry: enough for Berth's client.
 */
public final class FakeRegistry implements AutoCloseable {
    /** One request as it arrived. */
    public record Request(String method, String path, String authorization, String range) {
        public boolean isBlobGet() {
            return method.equals("GET") && (path.contains("/blobs/sha256:") || path.startsWith("/storage/"));
        }
    }

    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, String> tags = new ConcurrentHashMap<>();
    private final Map<String, byte[]> uploads = new ConcurrentHashMap<>();
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public final List<String> tokenScopes = new CopyOnWriteArrayList<>();
    public final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    public final Set<String> cutOnce = ConcurrentHashMap.newKeySet();
    public final Set<String> stallOnce = ConcurrentHashMap.newKeySet();
    public final AtomicInteger activeBlobGets = new AtomicInteger();
    public final AtomicInteger maxActiveBlobGets = new AtomicInteger();
    public volatile boolean bearer;
    public volatile String realmUser;
    public volatile String realmPassword;
    public volatile boolean redirectBlobs;
    public volatile boolean ignoreRange;
    public volatile int blobChunkDelayMillis;

    private FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeRegistry start() {
        try {
            return new FakeRegistry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves every blob of {@code layout} in {@code repository}, with {@code top} tagged {@code tag}. */
    public void serve(String repository, String tag, Path layout, Digest top) {
        try (var files = Files.list(layout.resolve("blobs/sha256"))) {
            for (Path file : files.toList()) {
                blobs.put("sha256:" + file.getFileName(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tags.put(repository + ":" + tag, top.toString());
    }

    public List<Request> blobGets() {
        return requests.stream().filter(Request::isBlobGet).toList();
    }

    /** Thrown by a handler to make the server drop the connection mid-response. */
    private static final class CutConnection extends RuntimeException {
        CutConnection() {
            super("connection cut on purpose", null, false, false);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            requests.add(new Request(method, path, exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Range")));
            if (path.equals("/token")) {
                token(exchange);
            } else if (path.startsWith("/storage/")) {
                sendBlob(exchange, path.substring("/storage/".length()));
            } else if (path.startsWith("/v2/")) {
                registry(exchange, path.substring(4), method);
            } else {
                send(exchange, 404, "text/plain", new byte[0]);
            }
            exchange.close();
        } catch (CutConnection e) {
            throw e; // not closing the exchange: the server then closes the connection
        } catch (IOException | RuntimeException e) {
            exchange.close();
            throw e;
        }
    }

    private void registry(HttpExchange exchange, String rest, String method) throws IOException {
        int m = rest.indexOf("/manifests/");
        int b = rest.indexOf("/blobs/");
        String repository = m >= 0 ? rest.substring(0, m) : b >= 0 ? rest.substring(0, b) : "";
        if (bearer && !authorized(exchange)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + address()
                    + "/token\",service=\"fake-registry\",scope=\"repository:" + repository + ":pull\"");
            send(exchange, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (m >= 0) {
            manifest(exchange, repository, rest.substring(m + "/manifests/".length()), method);
        } else if (rest.contains("/blobs/uploads/")) {
            upload(exchange, repository, rest.substring(rest.indexOf("/blobs/uploads/") + "/blobs/uploads/".length()), method);
        } else if (b >= 0) {
            String digest = rest.substring(b + "/blobs/".length());
            if (method.equals("HEAD")) {
                byte[] blob = blobs.get(digest);
                exchange.getResponseHeaders().add("Content-Length", String.valueOf(blob == null ? 0 : blob.length));
                exchange.sendResponseHeaders(blob == null ? 404 : 200, -1);
            } else if (redirectBlobs) {
                exchange.getResponseHeaders().add("Location", "/storage/" + digest + "?signature=fake");
                send(exchange, 307, "text/plain", new byte[0]);
            } else {
                sendBlob(exchange, digest);
            }
        } else {
            send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void manifest(HttpExchange exchange, String repository, String reference, String method) throws IOException {
        if (method.equals("PUT")) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Digest digest = Digest.sha256(body);
            blobs.put(digest.toString(), body);
            if (!Digest.isDigest(reference)) {
                tags.put(repository + ":" + reference, digest.toString());
            }
            exchange.getResponseHeaders().add("Docker-Content-Digest", digest.toString());
            send(exchange, 201, "text/plain", new byte[0]);
            return;
        }
        String digest = Digest.isDigest(reference) ? reference : tags.get(repository + ":" + reference);
        byte[] body = digest == null ? null : blobs.get(digest);
        if (body == null) {
            send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        JsonNode json = ImageJson.mapper().readTree(body);
        exchange.getResponseHeaders().add("Content-Type", json.path("mediaType").asText("application/json"));
        exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
        if (method.equals("HEAD")) {
            exchange.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
            exchange.sendResponseHeaders(200, -1);
        } else {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void upload(HttpExchange exchange, String repository, String session, String method) throws IOException {
        if (method.equals("POST")) {
            String id = UUID.randomUUID().toString();
            uploads.put(id, new byte[0]);
            exchange.getResponseHeaders().add("Location", "/v2/" + repository + "/blobs/uploads/" + id);
            send(exchange, 202, "text/plain", new byte[0]);
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        String digest = URLDecoder.decode(query.substring(query.indexOf("digest=") + 7), StandardCharsets.UTF_8);
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (!Digest.sha256(body).toString().equals(digest) || uploads.remove(session) == null) {
            send(exchange, 400, "application/json", "{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        blobs.put(digest, body);
        exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
        send(exchange, 201, "text/plain", new byte[0]);
    }

    private void sendBlob(HttpExchange exchange, String digest) throws IOException {
        byte[] blob = blobs.get(digest);
        if (blob == null) {
            send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (corrupt.contains(digest)) {
            blob = blob.clone();
            blob[blob.length / 2] ^= 0x5a;
        }
        int active = activeBlobGets.incrementAndGet();
        maxActiveBlobGets.accumulateAndGet(active, Math::max);
        try {
            long start = 0;
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range != null && !ignoreRange && range.startsWith("bytes=") && range.endsWith("-")) {
                start = Long.parseLong(range.substring(6, range.length() - 1));
                exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (blob.length - 1) + "/" + blob.length);
            }
            int length = (int) (blob.length - start);
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(start > 0 ? 206 : 200, length);
            OutputStream out = exchange.getResponseBody();
            boolean cut = cutOnce.remove(digest);
            boolean stall = stallOnce.remove(digest);
            int limit = cut || stall ? length / 2 : length;
            int chunk = 16 * 1024;
            for (int written = 0; written < limit; written += chunk) {
                out.write(blob, (int) start + written, Math.min(chunk, limit - written));
                if (blobChunkDelayMillis > 0) {
                    out.flush();
                    Thread.sleep(blobChunkDelayMillis);
                }
            }
            out.flush();
            if (stall) {
                Thread.sleep(30_000); // the client gives up first
            }
            if (cut) {
                throw new CutConnection();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away or the cut closed the stream early: expected in these tests.
        } finally {
            activeBlobGets.decrementAndGet();
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        if (realmUser != null) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((realmUser + ":" + realmPassword)
                    .getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "application/json", "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("scope=")) {
                tokenScopes.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        String token = "tok-" + UUID.randomUUID();
        issuedTokens.add(token);
        send(exchange, 200, "application/json", ("{\"access_token\":\"" + token + "\",\"expires_in\":300}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.startsWith("Bearer ") && issuedTokens.contains(header.substring(7));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
