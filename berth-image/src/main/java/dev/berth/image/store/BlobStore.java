package dev.berth.image.store;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.image.ref.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Content-addressed blobs under {@code <root>/blobs/<algorithm>/<hex>}. Every write goes to a
 * temporary file under {@code <root>/ingest/} and is renamed into place only once its digest
 * (and size, when known) checked out, so a blob file is always complete.
 *
 * <p>Reading: {@link #contains(Descriptor)} is the cheap check (exists and size matches);
 * {@link #open(Digest)} checks the size when opening and the digest while streaming, failing at
 * end of stream (and deleting the blob) when the content does not match: a consumer must read to
 * the end and discard what it produced on an {@link IOException}. {@link #verify(Digest)} is the
 * full check on demand.
 */
public final class BlobStore {
    private static final int BUFFER = 64 * 1024;

    private final Path blobs;
    private final Path ingest;
    private final ReentrantLock[] ingestLocks = new ReentrantLock[64];

    public BlobStore(Path root) {
        this.blobs = root.resolve("blobs");
        this.ingest = root.resolve("ingest");
        try {
            Files.createDirectories(blobs.resolve("sha256"));
            Files.createDirectories(ingest);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot create the image store under " + root + ": " + e, e);
        }
        for (int i = 0; i < ingestLocks.length; i++) {
            ingestLocks[i] = new ReentrantLock();
        }
    }

    /**
     * The lock a writer of {@code digest}'s partial download holds in this JVM (striped: two
     * digests may share one). Across processes the writer also locks the partial file itself.
     */
    public ReentrantLock ingestLock(Digest digest) {
        return ingestLocks[Math.floorMod(digest.hex().hashCode(), ingestLocks.length)];
    }

    /** Where the blob lives (or would live). Read it through {@link #open(Digest)} to have it verified. */
    public Path path(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex());
    }

    public boolean contains(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /** The cheap presence check: the blob exists and has the descriptor's size. */
    public boolean contains(Descriptor descriptor) {
        try {
            return Files.size(path(descriptor.digest())) == descriptor.size();
        } catch (IOException e) {
            return false;
        }
    }

    public long size(Digest digest) throws IOException {
        return Files.size(path(digest));
    }

    /** A stream that verifies the digest as it is read; see the class comment. */
    public InputStream open(Digest digest) throws IOException {
        Path file = path(digest);
        try {
            return new VerifyingInputStream(Files.newInputStream(file), digest, Files.size(file));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "blob " + digest + " is not in the store");
        }
    }

    /** Reads a small blob (manifest, config) whole, verified. */
    public byte[] read(Digest digest, int maxBytes) throws IOException {
        if (size(digest) > maxBytes) {
            throw new IOException("blob " + digest + " is larger than " + maxBytes + " bytes");
        }
        try (var in = open(digest)) {
            return in.readAllBytes();
        }
    }

    /** Hashes the whole blob; a corrupt blob is deleted and reported. */
    public void verify(Digest digest) throws IOException {
        try (var in = open(digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** Stores {@code bytes}; returns their sha256 digest. */
    public Digest write(byte[] bytes) throws IOException {
        Digest digest = Digest.sha256(bytes);
        if (!contains(digest) || size(digest) != bytes.length) {
            Path tmp = newTempFile();
            try {
                Files.write(tmp, bytes);
                commit(tmp, digest);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return digest;
    }

    /** Streams {@code in} into the store, computing its sha256 digest. */
    public Written write(InputStream in) throws IOException {
        return write(in, null, -1);
    }

    /**
     * Streams {@code in} into the store and checks it against {@code expected} (and
     * {@code expectedSize} unless negative); on a mismatch nothing is stored and an
     * {@link IOException} says what differed.
     */
    public Written write(InputStream in, Digest expected, long expectedSize) throws IOException {
        Path tmp = newTempFile();
        try {
            MessageDigest hasher = expected == null ? Digest.newSha256() : expected.newHasher();
            long size = 0;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    hasher.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    size += n;
                }
            }
            Digest actual = expected == null ? Digest.of("sha256", hasher.digest()) : expected.sameAlgorithm(hasher);
            if (expectedSize >= 0 && size != expectedSize) {
                throw new IOException("size mismatch for " + expected + ": expected " + expectedSize + " bytes, got " + size);
            }
            if (expected != null && !expected.equals(actual)) {
                throw new IOException("digest mismatch: expected " + expected + ", content hashes to " + actual);
            }
            commit(tmp, actual);
            return new Written(actual, size);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Moves a verified file (a temp file or a finished download) into place. */
    public void commit(Path verifiedFile, Digest digest) throws IOException {
        Path target = path(digest);
        Files.createDirectories(target.getParent());
        Files.move(verifiedFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The resumable download file for {@code digest}: {@code <root>/ingest/<algorithm>-<hex>.partial}. */
    public Path partial(Digest digest) {
        return ingest.resolve(digest.algorithm() + "-" + digest.hex() + ".partial");
    }

    /** A new empty file under {@code <root>/ingest/}, on the same file system as the blobs. */
    public Path newTempFile() throws IOException {
        return Files.createTempFile(ingest, "tmp-", ".part");
    }

    public boolean delete(Digest digest) throws IOException {
        return Files.deleteIfExists(path(digest));
    }

    /** Every stored blob. */
    public List<Digest> list() {
        var out = new ArrayList<Digest>();
        try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobs)) {
            for (Path algorithm : algorithms) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(algorithm)) {
                    for (Path file : files) {
                        String name = algorithm.getFileName() + ":" + file.getFileName();
                        if (Digest.isDigest(name)) {
                            out.add(Digest.parse(name));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + blobs, e);
        }
        return out;
    }

    /** Leftovers of downloads and imports: partial downloads and temp files. */
    List<Path> ingestFiles() throws IOException {
        try (var files = Files.list(ingest)) {
            return files.toList();
        }
    }

    /** The digest and size of a blob just written. */
    public record Written(Digest digest, long size) {
    }

    private final class VerifyingInputStream extends FilterInputStream {
        private final Digest expected;
        private final long expectedSize;
        private final MessageDigest hasher;
        private long count;
        private boolean checked;

        VerifyingInputStream(InputStream in, Digest expected, long expectedSize) {
            super(in);
            this.expected = expected;
            this.expectedSize = expectedSize;
            this.hasher = expected.newHasher();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                hasher.update(b, off, n);
                count += n;
            } else if (n < 0 && !checked) {
                checked = true;
                Digest actual = expected.sameAlgorithm(hasher);
                if (count != expectedSize || !actual.equals(expected)) {
                    delete(expected);
                    throw new IOException("blob " + expected + " in the store is corrupt (content hashes to " + actual
                            + "); it was removed: pull or import the image again");
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipping would bypass the hash: read instead.
            byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(n, 1))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
