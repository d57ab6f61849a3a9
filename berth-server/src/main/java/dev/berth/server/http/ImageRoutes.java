package dev.berth.server.http;

import dev.berth.api.client.BerthClient;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.PullPolicy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

/**
 * /v1/images. Image references contain slashes and colons, so they travel in query parameters
 * or bodies, never in the path. {@code backend} absent = Berth's own image store. Paths
 * (import, unpack) are paths on the daemon's host.
 */
final class ImageRoutes {
    private final BerthClient client;

    ImageRoutes(BerthClient client) {
        this.client = client;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/images", ctx -> ctx.json(client.listImages(backend(ctx))));
        routes.get("/v1/images/inspect", ctx -> ctx.json(client.inspectImage(backend(ctx), Requests.required(ctx, "image"))));
        routes.delete("/v1/images", this::remove);
        routes.post("/v1/images/pull", this::pull);
        routes.post("/v1/images/push", ctx -> {
            var body = Requests.body(ctx, ApiBodies.PushBody.class);
            ctx.json(java.util.Map.of("digest", client.pushImage(required("image", body.image()), body.credentials())));
        });
        routes.post("/v1/images/prune", ctx -> ctx.json(client.pruneImages(backend(ctx))));
        routes.post("/v1/images/tag", ctx -> {
            var body = Requests.body(ctx, ApiBodies.TagBody.class);
            client.tagImage(body.backend(), required("source", body.source()), required("target", body.target()));
            ctx.status(204);
        });
        routes.post("/v1/images/import", this::importTar);
        routes.post("/v1/images/import-path", ctx -> {
            var body = Requests.body(ctx, ApiBodies.ImportPathBody.class);
            ctx.status(201).json(client.importImage(body.backend(), Path.of(required("path", body.path())),
                    body.target(), body.changes() == null ? List.of() : body.changes()));
        });
        routes.post("/v1/images/unpack", ctx -> {
            var body = Requests.body(ctx, ApiBodies.UnpackBody.class);
            client.unpackImage(required("image", body.image()), Path.of(required("dir", body.dir())));
            ctx.status(204);
        });
    }

    private void remove(Context ctx) {
        String image = Requests.required(ctx, "image");
        if (client.removeImage(backend(ctx), image, Requests.flag(ctx, "force"))) {
            ctx.status(204);
        } else {
            throw new BerthException(ErrorCode.IMAGE_NOT_FOUND, "image '" + image + "' not found");
        }
    }

    /** Streams progress as NDJSON while the pull runs on its own virtual thread. */
    private void pull(Context ctx) {
        var body = Requests.body(ctx, ApiBodies.PullBody.class);
        String image = required("image", body.image());
        var queue = new LinkedBlockingQueue<ApiBodies.PullEvent>();
        Thread.ofVirtual().start(() -> {
            try {
                var info = client.pullImage(body.backend(), image, body.platform(),
                        body.policy() == null ? PullPolicy.ALWAYS : body.policy(), body.credentials(),
                        p -> queue.add(new ApiBodies.PullEvent(p, null, null)));
                queue.add(new ApiBodies.PullEvent(null, info, null));
            } catch (BerthException e) {
                queue.add(new ApiBodies.PullEvent(null, null, ApiError.of(e)));
            } catch (RuntimeException e) {
                queue.add(new ApiBodies.PullEvent(null, null, new ApiError(ErrorCode.INTERNAL.code(), String.valueOf(e.getMessage()), null)));
            }
        });
        NdjsonStream.send(ctx, Stream.iterate(take(queue), e -> e != null, e -> e.progress() == null ? null : take(queue)));
    }

    private static ApiBodies.PullEvent take(LinkedBlockingQueue<ApiBodies.PullEvent> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void importTar(Context ctx) {
        String target = Requests.required(ctx, "target");
        List<String> changes = ctx.queryParams("change");
        try (var in = ctx.req().getInputStream()) {
            ctx.status(201).json(client.importImage(backend(ctx), in, target, changes));
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read the uploaded archive: " + e.getMessage(), e);
        }
    }

    private static String backend(Context ctx) {
        String value = ctx.queryParam("backend");
        return value == null || value.isEmpty() ? null : value;
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, field + ": required", field, null);
        }
        return value;
    }
}
