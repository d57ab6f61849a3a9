package dev.berth.image.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps garbage collection away from blobs that a pull or import has written but not yet named:
 * pulls and imports hold the shared side, prune and remove the exclusive side, both in this JVM
 * (a read-write lock) and across processes sharing the store (an fcntl lock on
 * {@code <root>/gc.lock}, shared while any shared holder in this JVM is active).
 */
final class StoreLock implements AutoCloseable {
    private final ReentrantReadWriteLock local = new ReentrantReadWriteLock();
    private final ReentrantLock fileLockGuard = new ReentrantLock();
    private final FileChannel channel;
    private FileLock sharedFileLock;
    private int sharedHolders;

    StoreLock(Path file) {
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the store lock " + file, e);
        }
    }

    /** Held while content is added: blobs written under it survive until named or the lease ends. */
    StoreLease shared() {
        local.readLock().lock();
        fileLockGuard.lock();
        try {
            if (sharedHolders == 0) {
                sharedFileLock = channel.lock(0, Long.MAX_VALUE, true);
            }
            sharedHolders++;
        } catch (IOException e) {
            local.readLock().unlock();
            throw new UncheckedIOException("cannot lock the image store", e);
        } finally {
            fileLockGuard.unlock();
        }
        return () -> {
            fileLockGuard.lock();
            try {
                if (--sharedHolders == 0) {
                    releaseQuietly(sharedFileLock);
                    sharedFileLock = null;
                }
            } finally {
                fileLockGuard.unlock();
                local.readLock().unlock();
            }
        };
    }

    /** Held while blobs are deleted. */
    StoreLease exclusive() {
        local.writeLock().lock();
        try {
            FileLock lock = channel.lock();
            return () -> {
                releaseQuietly(lock);
                local.writeLock().unlock();
            };
        } catch (IOException e) {
            local.writeLock().unlock();
            throw new UncheckedIOException("cannot lock the image store", e);
        }
    }

    private static void releaseQuietly(FileLock lock) {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            System.getLogger(StoreLock.class.getName()).log(System.Logger.Level.WARNING, "cannot release the store lock", e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
