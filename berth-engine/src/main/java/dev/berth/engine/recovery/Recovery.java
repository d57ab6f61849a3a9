package dev.berth.engine.recovery;

import dev.berth.api.model.BackendResource;
import dev.berth.api.model.CleanupReport;
import dev.berth.api.model.ReconcileReport;
import dev.berth.api.spi.BackendStatus;
import dev.berth.engine.backends.BackendRegistry;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.store.StateStore;
import dev.berth.engine.store.WorkloadRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** The engine's recovery commands (reconcile, reap, foreign owners), each over the right backends and locks. */
public final class Recovery {
    private final StateStore store;
    private final BackendRegistry backends;
    private final List<String> detectionOrder;
    private final String ownerId;
    private final NameGuard locks;
    private final BiFunction<WorkloadRecord, BackendStatus, WorkloadRecord> fold;
    private final EventBus events;

    public Recovery(StateStore store, BackendRegistry backends, List<String> detectionOrder, String ownerId, NameGuard locks,
                    BiFunction<WorkloadRecord, BackendStatus, WorkloadRecord> fold, EventBus events) {
        this.store = store;
        this.backends = backends;
        this.detectionOrder = detectionOrder;
        this.ownerId = ownerId;
        this.locks = locks;
        this.fold = fold;
        this.events = events;
    }

    /**
     * Reconciles every record against its backend, each under its name lock. A record without a
     * handle and without a backend resource is removed once older than {@code inFlightGrace}.
     */
    public ReconcileReport reconcile(Duration inFlightGrace) {
        var reconciler = new Reconciler(store, backends::get, ownerId, fold, events, Clock.systemUTC());
        var outcomes = new ArrayList<ReconcileReport.WorkloadOutcome>();
        for (WorkloadRecord r : store.list()) {
            locks.with(r.name(), () -> reconciler.reconcile(r.name(), inFlightGrace)).ifPresent(outcomes::add);
        }
        return ReconcileReport.of(outcomes);
    }

    public CleanupReport reap() {
        return new Reaper(store, ownerId, locks).reap(available());
    }

    public Map<String, List<BackendResource>> foreignResources() {
        return new ForeignOwners(ownerId).list(available());
    }

    public CleanupReport pruneOwner(String otherOwnerId) {
        return new ForeignOwners(ownerId).prune(otherOwnerId, available());
    }

    private AvailableBackends available() {
        return AvailableBackends.open(backends, detectionOrder);
    }
}
