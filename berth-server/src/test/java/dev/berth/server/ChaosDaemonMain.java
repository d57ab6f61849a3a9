package dev.berth.server;

import dev.berth.docker.backend.DockerBackendProvider;
import dev.berth.engine.Engine;
import dev.berth.server.http.ApiServer;
import java.nio.file.Path;

/** A daemon in its own JVM for the chaos test, which kills it with SIGKILL: args SOCKET DATA_DIR. */
public final class ChaosDaemonMain {
    private ChaosDaemonMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        var engine = Engine.builder().dataDir(Path.of(args[1])).defaultBackend("docker").provider(DockerBackendProvider.docker()).build();
        Daemon daemon = Daemon.start(engine, new ApiServer.Listen(Path.of(args[0]), null, null), false);
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close));
        daemon.awaitStop();
    }
}
