package dev.berth.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal POSIX ustar writer: directories, regular files and symlinks with mode and owner,
 * enough for test rootfs tarballs and {@code files:} archives. Paths are relative ("bin/sh"),
 * at most 100 bytes; mtimes are fixed so that equal content gives byte-equal archives.
 */
public final class TarWriter implements AutoCloseable {
    private static final int BLOCK = 512;
    private static final long MTIME = 1_704_067_200L; // 2024-01-01T00:00:00Z
    private static final byte REGULAR = '0';
    private static final byte SYMLINK = '2';
    private static final byte DIRECTORY = '5';

    private final OutputStream out;
    private boolean finished;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    public TarWriter directory(String path, int mode, int uid, int gid) {
        String name = path.endsWith("/") ? path : path + "/";
        writeHeader(name, mode, uid, gid, 0, DIRECTORY, "");
        return this;
    }

    public TarWriter file(String path, byte[] content, int mode) {
        return file(path, content, mode, 0, 0);
    }

    public TarWriter file(String path, String content, int mode) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0);
    }

    public TarWriter file(String path, byte[] content, int mode, int uid, int gid) {
        writeHeader(path, mode, uid, gid, content.length, REGULAR, "");
        write(content);
        int padding = (BLOCK - content.length % BLOCK) % BLOCK;
        write(new byte[padding]);
        return this;
    }

    public TarWriter symlink(String path, String target) {
        writeHeader(path, 0777, 0, 0, 0, SYMLINK, target);
        return this;
    }

    /** Writes the two zero blocks that end an archive; does not close the underlying stream. */
    public void finish() {
        if (!finished) {
            write(new byte[2 * BLOCK]);
            finished = true;
        }
    }

    @Override
    public void close() {
        finish();
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeHeader(String name, int mode, int uid, int gid, long size, byte type, String linkName) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name, "name");
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, MTIME);
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = type;
        put(h, 157, 100, linkName, "link target");
        put(h, 257, 6, "ustar", "magic");
        h[263] = '0';
        h[264] = '0';
        put(h, 265, 32, uid == 0 ? "root" : "", "user name");
        put(h, 297, 32, gid == 0 ? "root" : "", "group name");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum); // six digits and a NUL, then the space already there
        write(h);
    }

    private static void put(byte[] header, int offset, int length, String value, String what) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= length) {
            throw new IllegalArgumentException("tar " + what + " too long (max " + (length - 1) + " bytes): " + value);
        }
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    /** Zero-padded octal in {@code length - 1} digits followed by a NUL. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException("tar field overflow: " + value);
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, header, offset, length - 1);
        header[offset + length - 1] = 0;
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
