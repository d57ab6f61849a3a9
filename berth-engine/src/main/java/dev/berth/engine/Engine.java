package dev.berth.engine;

import dev.berth.api.model.Credentials;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ExecResult;
import dev.berth.api.model.ExecSession;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.NetworkInfo;
import dev.berth.api.model.NetworkSpec;
import dev.berth.api.model.PullProgress;
import dev.berth.api.model.Stats;
import dev.berth.api.model.SystemInfo;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spec.Signal;
import dev.berth.api.spec.WorkloadSpec;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import dev.berth.api.client.BerthClient;
import dev.berth.api.spi.BackendProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** The in-process Berth engine (skeleton; being implemented). */
public final class Engine implements BerthClient {
    private final EngineConfig config;
    private final java.util.List<BackendProvider> providers;

    Engine(EngineConfig config, java.util.List<BackendProvider> providers) {
        this.config = config;
        this.providers = providers;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public WorkloadStatus create(WorkloadSpec spec) {
        throw new UnsupportedOperationException("create");
    }

    @Override
    public WorkloadStatus run(WorkloadSpec spec) {
        throw new UnsupportedOperationException("run");
    }

    @Override
    public WorkloadStatus start(String name) {
        throw new UnsupportedOperationException("start");
    }

    @Override
    public WorkloadStatus stop(String name, Duration grace) {
        throw new UnsupportedOperationException("stop");
    }

    @Override
    public WorkloadStatus restart(String name, Duration grace) {
        throw new UnsupportedOperationException("restart");
    }

    @Override
    public WorkloadStatus kill(String name, Signal signal) {
        throw new UnsupportedOperationException("kill");
    }

    @Override
    public boolean remove(String name, boolean force) {
        throw new UnsupportedOperationException("remove");
    }

    @Override
    public WorkloadStatus inspect(String name) {
        throw new UnsupportedOperationException("inspect");
    }

    @Override
    public List<WorkloadStatus> list(boolean all) {
        throw new UnsupportedOperationException("list");
    }

    @Override
    public Stream<LogLine> logs(String name, LogQuery query) {
        throw new UnsupportedOperationException("logs");
    }

    @Override
    public ExecResult exec(String name, ExecRequest request) {
        throw new UnsupportedOperationException("exec");
    }

    @Override
    public ExecSession execStream(String name, ExecRequest request) {
        throw new UnsupportedOperationException("execStream");
    }

    @Override
    public Stats stats(String name) {
        throw new UnsupportedOperationException("stats");
    }

    @Override
    public Stream<Stats> statsStream(String name) {
        throw new UnsupportedOperationException("statsStream");
    }

    @Override
    public ExitStatus waitExit(String name, Duration timeout) {
        throw new UnsupportedOperationException("waitExit");
    }

    @Override
    public ImageInfo pullImage(String backend, String image, PullPolicy policy, Credentials credentials,
                        Consumer<PullProgress> progress) {
        throw new UnsupportedOperationException("pullImage");
    }

    @Override
    public List<ImageInfo> listImages(String backend) {
        throw new UnsupportedOperationException("listImages");
    }

    @Override
    public boolean removeImage(String backend, String image, boolean force) {
        throw new UnsupportedOperationException("removeImage");
    }

    @Override
    public List<String> pruneImages(String backend) {
        throw new UnsupportedOperationException("pruneImages");
    }

    @Override
    public void tagImage(String backend, String source, String target) {
        throw new UnsupportedOperationException("tagImage");
    }

    @Override
    public ImageInfo importImage(String backend, InputStream rootfsTar, String target, List<String> changes) {
        throw new UnsupportedOperationException("importImage");
    }

    @Override
    public NetworkInfo createNetwork(String backend, NetworkSpec spec) {
        throw new UnsupportedOperationException("createNetwork");
    }

    @Override
    public boolean removeNetwork(String name) {
        throw new UnsupportedOperationException("removeNetwork");
    }

    @Override
    public List<NetworkInfo> listNetworks() {
        throw new UnsupportedOperationException("listNetworks");
    }

    @Override
    public SystemInfo info() {
        throw new UnsupportedOperationException("info");
    }

    @Override
    public void close() {
    }

    /** Assembles an engine; backends are opened lazily on first use. */
    public static final class Builder {
        private Path dataDir;
        private String defaultBackend;
        private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        private final java.util.List<BackendProvider> providers = new ArrayList<>();

        public Builder dataDir(Path value) { dataDir = value; return this; }
        public Builder defaultBackend(String value) { defaultBackend = value; return this; }
        public Builder provider(BackendProvider value) { providers.add(value); return this; }
        public Builder backendSettings(String backend, Map<String, String> values) { settings.put(backend, Map.copyOf(values)); return this; }

        public Engine build() {
            var order = providers.stream().map(BackendProvider::name).toList();
            var cfg = new EngineConfig(dataDir == null ? EngineConfig.defaultDataDir() : dataDir, defaultBackend, settings, order);
            return new Engine(cfg, java.util.List.copyOf(providers));
        }
    }
}
