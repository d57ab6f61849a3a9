package dev.berth.engine;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.EventType;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.CreateRequest;
import dev.berth.api.spi.Handle;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.engine.archive.StagedFiles;
import dev.berth.engine.backends.BackendRegistry;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.images.ImageRouter;
import dev.berth.engine.store.StateStore;
import dev.berth.engine.store.WorkloadRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** How a workload comes to exist: the record first (which reserves the name), then the backend's resource. */
final class Provisioner {
    private static final Logger LOG = Logger.getLogger(Provisioner.class.getName());

    private final Path tmpDir;
    private final StateStore store;
    private final BackendRegistry backends;
    private final Networks networks;
    private final ImageRouter images;
    private final String ownerId;
    private final NameLocks locks;
    private final EventBus events;

    Provisioner(Path tmpDir, StateStore store, BackendRegistry backends, Networks networks, ImageRouter images, String ownerId,
                NameLocks locks, EventBus events) {
        this.tmpDir = tmpDir;
        this.store = store;
        this.backends = backends;
        this.networks = networks;
        this.images = images;
        this.ownerId = ownerId;
        this.locks = locks;
        this.events = events;
    }

    /**
     * Validates the spec, reserves the name, creates the backend resource (pulling or loading its
     * image, realising its networks, copying its files in) and records it; on any failure nothing
     * is left behind, neither record nor resource.
     */
    WorkloadRecord create(WorkloadSpec spec) {
        spec.validate();
        Backend backend = backends.get(spec.backend() == null ? null : spec.backend().wire());
        backend.capabilities().check(spec, backend.name());
        spec.networks().forEach(networks::require);
        try (StagedFiles files = StagedFiles.stage(spec.files(), tmpDir)) {
            long generation = store.nextGeneration();
            var record = WorkloadRecord.created(spec.name(), spec, backend.name(), generation, Instant.now(), "creating");
            // Locked from the insert on, so that an in-process reconcile never sees the record half-made.
            return locks.with(spec.name(), () -> {
                if (!store.insert(record)) {
                    throw new BerthException(ErrorCode.NAME_IN_USE,
                            "workload name '" + spec.name() + "' is already in use; remove it first or choose another name", "name", null);
                }
                WorkloadRecord created = provision(backend, record, files);
                events.publish(created.name(), EventType.CREATED, "image " + spec.image() + " on " + backend.name());
                return created;
            });
        }
    }

    private WorkloadRecord provision(Backend backend, WorkloadRecord record, StagedFiles files) {
        WorkloadSpec spec = record.spec();
        Handle handle = null;
        try {
            for (String net : spec.networks()) {
                networks.realise(net, backend);
            }
            handle = images.createPulling(backend, new CreateRequest(spec,
                    new OwnerLabels(ownerId, spec.name(), record.generation()), environment(spec, backend)));
            WorkloadRecord created = record.withHandle(handle.id()).withState(WorkloadState.CREATED, null);
            store.update(created);
            for (Path tar : files.tars()) {
                try (InputStream in = Files.newInputStream(tar)) {
                    backend.copyIn(handle, "/", in);
                }
            }
            return created;
        } catch (RuntimeException | IOException e) {
            if (handle != null) {
                removeBackendQuietly(backend, handle);
            }
            store.delete(record.name());
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new BerthException(ErrorCode.INTERNAL, "cannot copy files into " + record.name() + ": " + e.getMessage(), e);
        }
    }

    /** The spec's env, with localhost URLs pointed at the host alias when the workload asked for host access. */
    private static Map<String, String> environment(WorkloadSpec spec, Backend backend) {
        String alias = backend.hostAlias();
        if (!spec.hostAccess() || alias == null) {
            return spec.env();
        }
        var env = new LinkedHashMap<String, String>();
        spec.env().forEach((k, v) -> env.put(k, v.replace("://localhost", "://" + alias).replace("://127.0.0.1", "://" + alias)));
        return env;
    }

    private static void removeBackendQuietly(Backend backend, Handle handle) {
        try {
            backend.remove(handle);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove " + handle + " after a failed create", e);
        }
    }
}
