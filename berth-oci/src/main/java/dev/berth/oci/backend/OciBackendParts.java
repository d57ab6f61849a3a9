package dev.berth.oci.backend;

import dev.berth.api.spi.NetworkOps;
import dev.berth.net.NetworkFabric;
import dev.berth.oci.conmon.Conmon;
import dev.berth.oci.images.OciImages;
import dev.berth.oci.transport.CommandTransport;
import java.util.Map;

/**
 * What {@link dev.berth.oci.OciBackendProvider} assembles for a backend. {@code fabric} is null
 * when networking could not be opened; {@code fabricError} then says why.
 */
public record OciBackendParts(String name, CommandTransport transport, String root, String defaultRuntime,
                              Map<String, String> runtimePaths, Conmon conmon, String conmonVersion, OciImages images,
                              NetworkFabric fabric, String fabricError, NetworkOps networks, long nofileLimit) {
    public OciBackendParts {
        runtimePaths = Map.copyOf(runtimePaths);
    }

    public OciBackend open() {
        return new OciBackend(this);
    }
}
