package dev.berth.image.registry;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Digest;
import dev.berth.image.store.BlobStore;
import dev.berth.image.store.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Protocol step: download one blob ({@code GET /v2/<name>/blobs/<digest>}) straight to disk.
 * Bytes go to {@code <store>/ingest/<alg>-<hex>.partial}, hashed as they arrive; an interrupted
 * transfer is retried with {@code Range: bytes=<have>-} (the existing prefix is hashed first), up
 * to the configured number of attempts; a registry that ignores the range starts over. The size
 * and digest are checked before the file is renamed into the store; a mismatch deletes the
 * partial file. Redirects (to blob storage) are followed without the Authorization header.
 */
final class BlobPuller {
    private static final System.Logger LOG = System.getLogger(BlobPuller.class.getName());
    private static final int BUFFER = 64 * 1024;
    private static final long PROGRESS_STEP = 512 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final RegistryClient client;
    private final int maxAttempts;

    BlobPuller(RegistryClient client, int maxAttempts) {
        this.client = client;
        this.maxAttempts = maxAttempts;
    }

    /** Receives this blob's progress. */
    @FunctionalInterface
    interface Progress {
        void report(LayerState state, long bytes);
    }

    /** Makes {@code blob} present in {@code store}; returns false when it already was. */
    @SuppressWarnings("try") // the lock is held for the block
    boolean pull(String repository, Descriptor blob, BlobStore store, Progress progress) {
        Digest digest = blob.digest();
        String what = "pulling blob " + digest + " of " + repository;
        var lock = store.ingestLock(digest);
        lock.lock();
        try {
            while (true) {
                if (store.contains(blob)) {
                    progress.report(LayerState.CACHED, blob.size());
                    return false;
                }
                Path partial = store.partial(digest);
                try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
                    Object fileKey = fileKey(partial);
                    try (FileLock fileLock = channel.lock()) {
                        // Another process may have finished (renamed) or discarded this file while we waited.
                        if (fileKey == null || !Objects.equals(fileKey, fileKey(partial))) {
                            continue;
                        }
                        MessageDigest hasher = download(repository, blob, channel, partial, progress, what);
                        progress.report(LayerState.VERIFYING, blob.size());
                        verifyAndCommit(blob, hasher, channel, partial, store, what);
                    }
                }
                progress.report(LayerState.DONE, blob.size());
                return true;
            }
        } catch (IOException e) {
            throw RegistryErrors.transport(client.endpoint(), what, e);
        } finally {
            lock.unlock();
        }
    }

    private MessageDigest download(String repository, Descriptor blob, FileChannel channel, Path partial,
                                   Progress progress, String what) throws IOException {
        for (int attempt = 1; ; attempt++) {
            long have = channel.size();
            if (have > blob.size()) {
                channel.truncate(0);
                have = 0;
            }
            MessageDigest hasher = blob.digest().newHasher();
            hashPrefix(channel, have, hasher);
            if (have == blob.size() && have > 0) {
                return hasher; // finished earlier but not committed (the process died before the rename)
            }
            try {
                fetch(repository, blob, channel, have, hasher, partial, progress, what);
                return hasher;
            } catch (IOException e) {
                if (attempt >= maxAttempts || Thread.currentThread().isInterrupted()
                        || e instanceof ClosedByInterruptException || RegistryErrors.isUnreachable(e)) {
                    throw e;
                }
                int next = attempt + 1;
                LOG.log(System.Logger.Level.INFO, () -> what + ": transfer interrupted after " + size(channel) + " of "
                        + blob.size() + " bytes (" + e + "); resuming, attempt " + next + " of " + maxAttempts);
            }
        }
    }

    private static void hashPrefix(FileChannel channel, long length, MessageDigest hasher) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(BUFFER, length - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                break;
            }
            buffer.flip();
            hasher.update(buffer);
            position += n;
        }
    }

    private void fetch(String repository, Descriptor blob, FileChannel channel, long have, MessageDigest hasher,
                       Path partial, Progress progress, String what) throws IOException {
        HttpResponse<InputStream> response = client.send(get(client.request("/v2/" + repository + "/blobs/" + blob.digest()), have),
                Scopes.pull(repository), what);
        for (int hops = 0; isRedirect(response.statusCode()); hops++) {
            String location = response.headers().firstValue("Location").orElse(null);
            RegistryErrors.discard(response);
            if (location == null || hops == MAX_REDIRECTS) {
                throw new BerthException(ErrorCode.BACKEND_ERROR, what + ": registry " + client.endpoint().host()
                        + (location == null ? " redirected without a Location" : " redirected too often"));
            }
            URI target = response.request().uri().resolve(location);
            response = client.sendAnonymous(get(HttpRequest.newBuilder(target), have), what);
        }
        long offset = have;
        switch (response.statusCode()) {
            case 200 -> {
                offset = 0;
                hasher.reset();
            }
            case 206 -> {
                Matcher range = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
                if (!range.matches() || Long.parseLong(range.group(1)) != have) {
                    RegistryErrors.discard(response);
                    channel.truncate(0);
                    throw new IOException("the registry answered a different range than requested; starting over");
                }
            }
            case 416 -> {
                RegistryErrors.discard(response);
                channel.truncate(0);
                throw new IOException("the registry refused the range request; starting over");
            }
            default -> throw RegistryErrors.status(client.endpoint(), what, response);
        }
        channel.truncate(offset);
        channel.position(offset);
        long count = offset;
        long reported = count;
        progress.report(LayerState.DOWNLOADING, count);
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (count + n > blob.size()) {
                    channel.close();
                    Files.deleteIfExists(partial);
                    throw new BerthException(ErrorCode.BACKEND_ERROR, what + ": the registry sent more than the "
                            + blob.size() + " bytes the manifest declares; the partial download was deleted");
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                hasher.update(buffer, 0, n);
                count += n;
                if (count - reported >= PROGRESS_STEP) {
                    progress.report(LayerState.DOWNLOADING, count);
                    reported = count;
                }
            }
        } finally {
            if (channel.isOpen()) {
                progress.report(LayerState.DOWNLOADING, channel.size());
            }
        }
        if (count < blob.size()) {
            throw new IOException("connection closed after " + count + " of " + blob.size() + " bytes");
        }
    }

    private static void verifyAndCommit(Descriptor blob, MessageDigest hasher, FileChannel channel, Path partial,
                                        BlobStore store, String what) throws IOException {
        Digest actual = blob.digest().sameAlgorithm(hasher);
        long size = channel.size();
        if (!actual.equals(blob.digest()) || size != blob.size()) {
            Files.deleteIfExists(partial);
            throw new BerthException(ErrorCode.BACKEND_ERROR, what + ": digest mismatch: the " + size
                    + " bytes received hash to " + actual + "; the partial download was deleted");
        }
        store.commit(partial, blob.digest());
    }

    private static HttpRequest get(HttpRequest.Builder builder, long have) {
        if (have > 0) {
            builder.header("Range", "bytes=" + have + "-");
        }
        return builder.GET().build();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static long size(FileChannel channel) {
        try {
            return channel.size();
        } catch (IOException e) {
            return -1;
        }
    }
}
