package dev.berth.cli;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.server.Daemon;
import dev.berth.server.DaemonSettings;
import dev.berth.server.http.ApiServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth daemon}: serves the REST API on a unix socket (and TCP with a bearer token) until
 * SIGTERM/SIGINT. Flags override the {@code --config} file. The token is never a command-line
 * argument (every user could read it in ps): it comes from {@code --token-file} or $BERTH_TOKEN.
 */
@Command(name = "daemon", description = "Run the Berth daemon (REST API on a unix socket, optionally TCP with a token).")
final class DaemonCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--socket", paramLabel = "PATH", description = "Unix socket to listen on (default: /run/berth/berth.sock; mode 0600).")
    Path socket;

    @Option(names = "--tcp", paramLabel = "HOST:PORT", description = "Also listen on TCP; every request then needs the bearer token.")
    String tcp;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the bearer token for --tcp (else $BERTH_TOKEN).")
    Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN", hidden = true)
    String tokenOnCommandLine;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON settings: socket, dataDir, tcp, tokenFile, "
            + "stopWorkloadsOnExit, defaultBackend, backends.<name>.<key>.")
    Path config;

    @Option(names = "--stop-workloads-on-exit", description = "Stop running workloads when the daemon shuts down (default: they keep running).")
    boolean stopWorkloadsOnExit;

    DaemonCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (tokenOnCommandLine != null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "--token: a token on the command line is visible to every user "
                    + "(ps); put it in a file (--token-file FILE, mode 0600) or in $BERTH_TOKEN", "token", null);
        }
        DaemonSettings settings = (config == null ? DaemonSettings.defaults() : DaemonSettings.load(config))
                .withSocket(socket)
                .withDataDir(ctx.global.dataDir)
                .withTcp(tcp)
                .withTokenFile(tokenFile)
                .withStopWorkloadsOnExit(stopWorkloadsOnExit)
                .withDefaultBackend(ctx.global.backend);
        var engine = ClientFactory.engine(ctx.global).dataDir(settings.dataDir());
        settings.backends().forEach(engine::backendSettings);
        ApiServer.Listen listen = settings.listen(System.getenv(ClientFactory.TOKEN_ENV));
        Daemon daemon = Daemon.start(engine.defaultBackend(settings.defaultBackend()).build(), listen, settings.stopWorkloadsOnExit());
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "berth-daemon-shutdown"));
        ctx.err.println("berth daemon listening on unix://" + listen.socket()
                + (listen.tcp() == null ? "" : " and tcp://" + listen.tcp().getHostString() + ":" + daemon.tcpPort()));
        daemon.awaitStop();
        return 0;
    }
}
