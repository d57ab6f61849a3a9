package dev.berth.server.http;

import dev.berth.api.client.BerthClient;
import dev.berth.api.error.BerthException;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.LogQuery;
import dev.berth.api.spec.Signal;
import dev.berth.api.spec.SpecParser;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;

/** /v1/workloads: create/run, list, inspect, remove, the lifecycle verbs, logs, exec, stats. */
final class WorkloadRoutes {
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    private static final String ONE = "/v1/workloads/{name}";

    private final BerthClient client;
    private final SpecParser specs = new SpecParser();

    WorkloadRoutes(BerthClient client) {
        this.client = client;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/workloads", this::create);
        routes.get("/v1/workloads", ctx -> ctx.json(client.list(Requests.flag(ctx, "all"))));
        routes.get(ONE, ctx -> ctx.json(client.inspect(name(ctx))));
        routes.delete(ONE, this::remove);
        routes.post(ONE + "/start", ctx -> ctx.json(client.start(name(ctx))));
        routes.post(ONE + "/stop", ctx -> ctx.json(client.stop(name(ctx), grace(ctx))));
        routes.post(ONE + "/restart", ctx -> ctx.json(client.restart(name(ctx), grace(ctx))));
        routes.post(ONE + "/kill", ctx -> ctx.json(client.kill(name(ctx), signal(ctx))));
        routes.post(ONE + "/wait", ctx -> ctx.json(client.waitExit(name(ctx), Requests.duration(ctx, "timeout"))));
        routes.get(ONE + "/logs", this::logs);
        routes.post(ONE + "/exec", ctx -> ctx.json(client.exec(name(ctx), execRequest(ctx))));
        routes.get(ONE + "/stats", this::stats);
    }

    private void create(Context ctx) {
        var spec = specs.parse(Requests.bodyText(ctx));
        boolean start = Requests.flag(ctx, "start");
        ctx.status(201).json(start ? client.run(spec) : client.create(spec));
    }

    private void remove(Context ctx) {
        if (client.remove(name(ctx), Requests.flag(ctx, "force"))) {
            ctx.status(204);
        } else {
            throw BerthException.notFound("workload '" + name(ctx) + "'");
        }
    }

    private void logs(Context ctx) {
        boolean stdout = ctx.queryParam("stdout") == null || Requests.flag(ctx, "stdout");
        boolean stderr = ctx.queryParam("stderr") == null || Requests.flag(ctx, "stderr");
        var query = new LogQuery(Requests.integer(ctx, "tail", 0), Requests.instant(ctx, "since"),
                Requests.flag(ctx, "follow"), stdout, stderr, Requests.flag(ctx, "timestamps"));
        NdjsonStream.send(ctx, client.logs(name(ctx), query));
    }

    private void stats(Context ctx) {
        if (Requests.flag(ctx, "stream")) {
            NdjsonStream.send(ctx, client.statsStream(name(ctx)));
        } else {
            ctx.json(client.stats(name(ctx)));
        }
    }

    private static ExecRequest execRequest(Context ctx) {
        var request = Requests.body(ctx, ExecRequest.class);
        if (request.argv().isEmpty()) {
            throw new BerthException(dev.berth.api.error.ErrorCode.INVALID_ARGUMENT, "argv: must name a command", "argv", null);
        }
        if (request.tty() || request.stdin()) {
            throw new BerthException(dev.berth.api.error.ErrorCode.INVALID_ARGUMENT,
                    "tty/stdin need the interactive exec endpoint (GET " + ONE + "/exec/ws, WebSocket)", "tty", null);
        }
        return request;
    }

    static String name(Context ctx) {
        return ctx.pathParam("name");
    }

    private static Duration grace(Context ctx) {
        Duration grace = Requests.duration(ctx, "grace");
        return grace == null ? DEFAULT_GRACE : grace;
    }

    private static Signal signal(Context ctx) {
        String value = ctx.queryParam("signal");
        return value == null || value.isEmpty() ? Signal.SIGKILL : Signal.parse("signal", value);
    }
}
