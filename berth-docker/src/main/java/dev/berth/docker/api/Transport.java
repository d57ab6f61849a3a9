package dev.berth.docker.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Shared plumbing of the *Api classes: version prefix, error mapping, JSON bodies and streams. */
final class Transport {
    private final UnixSocketHttp http;
    private final String prefix;

    Transport(UnixSocketHttp http, ApiVersion version) {
        this.http = http;
        this.prefix = version.pathPrefix();
    }

    UnixSocketHttp http() {
        return http;
    }

    String target(String path, Query query) {
        return prefix + path + (query == null ? "" : query.toString());
    }

    HttpRequest request(String method, String path, Query query) {
        return HttpRequest.of(method, target(path, query));
    }

    /** Executes and throws the mapped {@link DockerApiException} for any status >= 400. */
    HttpResponse call(HttpRequest req) {
        HttpResponse r = http.execute(req);
        if (r.status() >= 400) {
            throw ApiErrors.from(r.status(), r.reason(), readAll(r));
        }
        return r;
    }

    HttpResponse call(String method, String path, Query query, JsonNode body) {
        HttpRequest req = request(method, path, query);
        return call(body == null ? req : req.withJson(Json.bytes(body)));
    }

    /** Full JSON response (missing node for an empty body). */
    JsonNode json(String method, String path, Query query, JsonNode body) {
        return Json.parse(readAll(call(method, path, query, body)));
    }

    JsonNode get(String path, Query query) {
        return json("GET", path, query, null);
    }

    /** Runs the request and reads the body to its end so the connection goes back to the pool. */
    int send(String method, String path, Query query, JsonNode body) {
        HttpResponse r = call(method, path, query, body);
        readAll(r);
        return r.status();
    }

    byte[] readAll(HttpResponse r) {
        try {
            return r.bytes();
        } catch (UncheckedIOException e) {
            throw new DockerIOException(http.toString(), "Reading response failed", e.getCause());
        }
    }

    /**
     * Concatenated JSON documents (events, stats, progress) as a lazy stream; closing the stream
     * closes the response, which also unblocks a reader waiting for the next document. Nothing
     * is read until the first element is requested, so subscribing to events never blocks.
     */
    Stream<JsonNode> jsonStream(HttpResponse r) {
        return documents(() -> r, r::close);
    }

    /**
     * Like {@link #jsonStream(HttpResponse)} for a response whose head is read only when the
     * first document is requested; errors (status >= 400) surface there too.
     */
    Stream<JsonNode> jsonStream(DeferredResponse deferred) {
        return documents(() -> {
            HttpResponse r = deferred.get();
            if (r.status() >= 400) {
                throw ApiErrors.from(r.status(), r.reason(), readAll(r));
            }
            return r;
        }, deferred::close);
    }

    private Stream<JsonNode> documents(Supplier<HttpResponse> response, Runnable onClose) {
        AtomicBoolean closed = new AtomicBoolean();
        Iterator<JsonNode> documents = new Iterator<>() {
            private MappingIterator<JsonNode> it;

            @Override
            public boolean hasNext() {
                try {
                    if (it == null) {
                        // Jackson reads the first token here, which blocks until a document arrives.
                        it = Json.TREE_READER.readValues(response.get().body());
                    }
                    return it.hasNextValue();
                } catch (IOException | DockerIOException e) {
                    if (closed.get()) {
                        return false; // the caller closed the stream to stop reading: that is its end
                    }
                    throw e instanceof IOException io ? new DockerIOException(http.toString(), "Reading JSON stream failed", io)
                            : (DockerIOException) e;
                }
            }

            @Override
            public JsonNode next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    return it.nextValue();
                } catch (IOException e) {
                    throw new DockerIOException(http.toString(), "Reading JSON stream failed", e);
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(documents, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    closed.set(true);
                    onClose.run();
                });
    }

    /**
     * Feeds each progress document to {@code progress} and turns an {@code error}/{@code errorDetail}
     * document into a {@link StreamErrorException}: pull and import report failures that way
     * after already answering 200.
     *
     * @return the last document, or null if there was none
     */
    JsonNode consumeProgress(HttpResponse r, Consumer<JsonNode> progress) {
        JsonNode last = null;
        try (Stream<JsonNode> docs = jsonStream(r)) {
            for (var it = docs.iterator(); it.hasNext(); ) {
                JsonNode doc = it.next();
                String error = progressError(doc);
                if (error != null) {
                    throw new StreamErrorException(r.status(), error);
                }
                if (progress != null) {
                    progress.accept(doc);
                }
                last = doc;
            }
        }
        return last;
    }

    static String progressError(JsonNode doc) {
        String detail = doc.path("errorDetail").path("message").asText("");
        if (!detail.isEmpty()) {
            return detail;
        }
        JsonNode error = doc.get("error");
        if (error != null && !error.isNull()) {
            String e = error.isTextual() ? error.asText() : error.toString();
            return e.isEmpty() ? "unknown error" : e;
        }
        return null;
    }
}
