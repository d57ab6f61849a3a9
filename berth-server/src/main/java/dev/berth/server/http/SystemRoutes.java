package dev.berth.server.http;

import dev.berth.api.client.BerthClient;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.NetworkSpec;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** /v1/networks, /v1/events, /v1/info, /v1/version and the /v1/system maintenance verbs. */
final class SystemRoutes {
    private final BerthClient client;

    SystemRoutes(BerthClient client) {
        this.client = client;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/networks", ctx -> ctx.json(client.listNetworks()));
        routes.post("/v1/networks", ctx -> {
            var body = Requests.body(ctx, ApiBodies.NetworkBody.class);
            var spec = new NetworkSpec(ImageRoutes.required("name", body.name()), body.internal(), body.subnet());
            ctx.status(201).json(client.createNetwork(body.backend(), spec));
        });
        routes.delete("/v1/networks/{name}", this::removeNetwork);
        routes.get("/v1/events", ctx -> NdjsonStream.send(ctx,
                client.events(Requests.longValue(ctx, "since", 0), Requests.flag(ctx, "follow"))));
        routes.get("/v1/info", ctx -> ctx.json(client.info()));
        routes.get("/v1/version", ctx -> ctx.json(Map.of("version", dev.berth.engine.BerthVersion.VERSION, "api", "v1")));
        routes.post("/v1/system/reconcile", ctx -> ctx.json(client.reconcile()));
        routes.post("/v1/system/reap", ctx -> ctx.json(client.reap()));
        routes.get("/v1/system/foreign", ctx -> ctx.json(client.foreignResources()));
        routes.post("/v1/system/prune-owner", ctx -> {
            var body = Requests.body(ctx, ApiBodies.PruneOwnerBody.class);
            ctx.json(client.pruneOwner(ImageRoutes.required("owner", body.owner())));
        });
    }

    private void removeNetwork(Context ctx) {
        String name = ctx.pathParam("name");
        if (client.removeNetwork(name)) {
            ctx.status(204);
        } else {
            throw new BerthException(ErrorCode.NOT_FOUND, "network '" + name + "' not found");
        }
    }
}
