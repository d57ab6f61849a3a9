package dev.berth.image.registry;

import dev.berth.api.model.PullProgress;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Receives per-layer progress of a pull. Layers download concurrently, so events arrive from
 * several threads: implementations must be thread-safe and quick (they run on the download
 * threads). DOWNLOADING events are sent about every 512 KiB and at the end of each attempt.
 */
@FunctionalInterface
public interface PullListener {
    PullListener NONE = event -> { };

    void onEvent(PullEvent event);

    /** Adapts to berth-api's {@link PullProgress} consumer (status is the state's lower-case name). */
    static PullListener forwardingTo(Consumer<PullProgress> consumer) {
        return event -> consumer.accept(new PullProgress(event.image(), event.digest().toString(),
                event.state().name().toLowerCase(Locale.ROOT), event.bytes(), event.total()));
    }
}
