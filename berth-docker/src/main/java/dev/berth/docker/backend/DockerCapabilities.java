package dev.berth.docker.backend;

import dev.berth.api.spi.Capabilities;
import dev.berth.api.spi.SpecField;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;

/** What the Engine-API backend honours, and what is degraded on this engine. */
final class DockerCapabilities {
    private DockerCapabilities() {
    }

    static Capabilities of(boolean podman, List<String> runtimes) {
        var unsupported = new LinkedHashMap<SpecField, String>();
        unsupported.put(SpecField.SECURITY_GROUPS, "security groups need Berth's firewall, which is not implemented yet");
        unsupported.put(SpecField.VOLUME_SIZE, "local engine volumes cannot be size-limited");
        unsupported.put(SpecField.VOLUME_ENCRYPTED, "encrypted (LUKS2) volumes are not implemented yet");
        if (podman) {
            // Podman lists runsc whenever the binary exists, but 4.x cannot start it with its own
            // network setup ("cannot run with network enabled in root network namespace").
            unsupported.put(SpecField.ISOLATION_SANDBOX, "Podman cannot run runsc with its network setup; use the oci backend");
        } else if (!runtimes.contains("runsc")) {
            unsupported.put(SpecField.ISOLATION_SANDBOX, "no 'runsc' (gVisor) runtime is registered with the engine");
        }
        var features = EnumSet.allOf(Capabilities.Feature.class);
        return new Capabilities(unsupported, features);
    }

    static List<String> degraded(boolean podman, List<String> runtimes) {
        var out = new ArrayList<String>();
        out.add("internal networks: no forwarding out, but the host's own addresses stay reachable (engine limitation)");
        if (podman) {
            out.add("isolation=sandbox unavailable: Podman cannot run runsc here (use the oci backend)");
        } else if (!runtimes.contains("runsc")) {
            out.add("isolation=sandbox unavailable: no runsc runtime registered");
        }
        if (podman) {
            out.add("oom: Podman does not report OOM kills on this host (exit 137 shows, oomKilled stays false)");
        }
        return out;
    }
}
