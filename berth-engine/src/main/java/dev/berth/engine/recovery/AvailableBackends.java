package dev.berth.engine.recovery;

import dev.berth.api.error.BerthException;
import dev.berth.api.spi.Backend;
import dev.berth.engine.backends.BackendRegistry;
import java.util.ArrayList;
import java.util.List;

/** The backends that open, and for each one that does not, "name: why" (it is skipped, not an error). */
public record AvailableBackends(List<Backend> backends, List<String> skipped) {
    public AvailableBackends {
        backends = List.copyOf(backends);
        skipped = List.copyOf(skipped);
    }

    public static AvailableBackends open(BackendRegistry registry, List<String> names) {
        var open = new ArrayList<Backend>();
        var skipped = new ArrayList<String>();
        for (String name : names) {
            try {
                open.add(registry.get(name));
            } catch (BerthException e) {
                skipped.add(name + ": " + e.getMessage());
            }
        }
        return new AvailableBackends(open, skipped);
    }
}
