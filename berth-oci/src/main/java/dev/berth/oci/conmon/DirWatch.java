package dev.berth.oci.conmon;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a waiter when something in one directory changes (conmon writing the log or the exit
 * file). Locally this is inotify through a {@link WatchService}; on a remote host, where no
 * event reaches this JVM, it is a bounded backoff (20 ms doubling to 500 ms) between looks.
 */
public final class DirWatch implements AutoCloseable {
    private static final long FIRST_PAUSE_MILLIS = 20;
    private static final long MAX_PAUSE_MILLIS = 500;

    private final WatchService service;
    private long pause = FIRST_PAUSE_MILLIS;

    private DirWatch(WatchService service) {
        this.service = service;
    }

    /** Watches {@code dir} when it is a local path, else falls back to backoff. */
    public static DirWatch open(String dir, boolean local) {
        if (!local) {
            return new DirWatch(null);
        }
        try {
            WatchService service = FileSystems.getDefault().newWatchService();
            Path.of(dir).register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            return new DirWatch(service);
        } catch (IOException e) {
            System.getLogger(DirWatch.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot watch " + dir + " (" + e + "); falling back to polling it");
            return new DirWatch(null);
        }
    }

    /**
     * Blocks until the directory changes or {@code max} passes, whichever is first; callers look
     * again afterwards either way, so a lost event costs at most {@code max}.
     */
    public void await(Duration max) throws InterruptedException {
        if (service == null) {
            long millis = Math.min(pause, Math.max(1, max.toMillis()));
            Thread.sleep(millis);
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
            return;
        }
        var key = service.poll(max.toMillis(), TimeUnit.MILLISECONDS);
        if (key != null) {
            key.pollEvents();
            key.reset();
        }
    }

    @Override
    public void close() {
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                System.getLogger(DirWatch.class.getName()).log(System.Logger.Level.DEBUG, "closing a watch", e);
            }
        }
    }
}
