package dev.berth.oci;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.NetworkOps;
import dev.berth.image.ImageService;
import dev.berth.net.BridgeFabric;
import dev.berth.net.HostCommands;
import dev.berth.net.NetworkFabric;
import dev.berth.oci.backend.OciBackendParts;
import dev.berth.oci.conmon.Conmon;
import dev.berth.oci.images.OciImages;
import dev.berth.oci.network.NoNetworks;
import dev.berth.oci.network.OciNetworks;
import dev.berth.oci.runtime.RuntimeProfile;
import dev.berth.oci.transport.CommandTransport;
import dev.berth.oci.transport.Transports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens the "oci" backend. Settings: {@code dataDir} and {@code ownerId} (from the engine),
 * {@code runtime} (runc, crun, youki or runsc; default runc), {@code runtimePath.<runtime>},
 * {@code conmonPath}, {@code transport} (local, ssh://user@host[:port], wsl://DISTRO) and
 * {@code root} (bundles and runtime state; default {@code <dataDir>/oci}). Images come from
 * Berth's store at {@code <dataDir>/images}; networks from the bridge fabric at {@code <dataDir>/net}.
 */
public final class OciBackendProvider implements BackendProvider {
    public static final String NAME = "oci";
    public static final String RUNTIME = "runtime";
    public static final String RUNTIME_PATH = "runtimePath.";
    public static final String CONMON_PATH = "conmonPath";
    public static final String TRANSPORT = "transport";
    public static final String ROOT = "root";
    static final String DEFAULT_CONMON = "/usr/bin/conmon";
    private static final long FALLBACK_NOFILE = 1024;

    private OciBackendProvider() {
    }

    public static OciBackendProvider oci() {
        return new OciBackendProvider();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Backend open(Map<String, String> config) {
        String dataDir = config.get(DATA_DIR);
        if (dataDir == null) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "oci backend: setting '" + DATA_DIR + "' is required", DATA_DIR, null);
        }
        String runtime = RuntimeProfile.named(config.getOrDefault(RUNTIME, RuntimeProfile.DEFAULT)).name();
        var paths = new HashMap<String, String>();
        config.forEach((k, v) -> {
            if (k.startsWith(RUNTIME_PATH)) {
                paths.put(k.substring(RUNTIME_PATH.length()), v);
            }
        });
        String root = config.getOrDefault(ROOT, Path.of(dataDir).resolve("oci").toAbsolutePath().toString());
        CommandTransport transport = Transports.open(config.get(TRANSPORT));
        ImageService images = null;
        NetworkFabric fabric = null;
        try {
            String conmonPath = config.getOrDefault(CONMON_PATH, DEFAULT_CONMON);
            String conmonVersion = conmonVersion(transport, conmonPath);
            images = ImageService.open(Path.of(dataDir).resolve("images"));
            String fabricError = null;
            NetworkOps networks;
            try {
                fabric = BridgeFabric.open(Path.of(dataDir).resolve("net"), transport);
                networks = new OciNetworks(NAME, fabric);
            } catch (BerthException e) {
                fabricError = e.getMessage();
                System.getLogger(OciBackendProvider.class.getName()).log(System.Logger.Level.WARNING,
                        "oci backend: no network fabric, workloads get loopback only: " + fabricError);
                networks = new NoNetworks(NAME, fabricError);
            }
            return new OciBackendParts(NAME, transport, root, runtime, paths, new Conmon(transport, conmonPath), conmonVersion,
                    new OciImages(NAME, images, Path.of(dataDir).resolve("tmp")), fabric, fabricError, networks,
                    nofileLimit(transport)).open();
        } catch (RuntimeException e) {
            if (fabric != null) {
                fabric.close();
            }
            if (images != null) {
                images.close();
            }
            transport.close();
            throw e;
        }
    }

    private static String conmonVersion(CommandTransport transport, String conmon) {
        HostCommands.Result r;
        try {
            r = transport.run(List.of(conmon, "--version"), null, Duration.ofSeconds(10));
        } catch (BerthException e) {
            r = new HostCommands.Result(127, "", e.getMessage());
        }
        if (!r.ok()) {
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, "oci backend: conmon not usable at " + conmon + " on "
                    + transport.describe() + " (" + r.stderr().strip() + "); install the Debian package 'conmon' or set "
                    + CONMON_PATH, CONMON_PATH, null);
        }
        return r.stdout().lines().findFirst().orElse("").replaceFirst("^conmon version ", "");
    }

    /** The hard RLIMIT_NOFILE programs on the target host inherit: a workload's default cannot exceed it. */
    private static long nofileLimit(CommandTransport transport) {
        HostCommands.Result r = transport.run(List.of("cat", "/proc/self/limits"), null, Duration.ofSeconds(10));
        for (String line : r.stdout().lines().toList()) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).strip().split("\\s+");
                if (f.length >= 2 && f[1].chars().allMatch(Character::isDigit)) {
                    return Long.parseLong(f[1]);
                }
                if (f.length >= 2 && f[1].equals("unlimited")) {
                    return Long.MAX_VALUE;
                }
            }
        }
        return FALLBACK_NOFILE;
    }
}
