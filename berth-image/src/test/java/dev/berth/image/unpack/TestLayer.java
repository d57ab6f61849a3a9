package dev.berth.image.unpack;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds layer tars in memory, in the order written, names taken as written (absolute and {@code ..} included). */
public final class TestLayer {
    static final FileTime MTIME = FileTime.from(Instant.parse("2021-03-04T05:06:07Z"));

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;
    private boolean finished;

    private TestLayer(int longFileMode) {
        tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(longFileMode);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** Long names as PAX {@code path}/{@code linkpath} records. */
    public static TestLayer pax() {
        return new TestLayer(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    /** Long names as GNU {@code ././@LongLink} entries. */
    public static TestLayer gnu() {
        return new TestLayer(TarArchiveOutputStream.LONGFILE_GNU);
    }

    public TestLayer dir(String name) {
        return dir(name, 0755);
    }

    public TestLayer dir(String name, int mode) {
        var e = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        e.setMode(mode);
        return put(e, null);
    }

    public TestLayer file(String name, String content) {
        return file(name, content, 0644);
    }

    public TestLayer file(String name, String content, int mode) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0);
    }

    public TestLayer file(String name, byte[] content, int mode, int uid, int gid) {
        var e = entry(name, TarConstants.LF_NORMAL);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setSize(content.length);
        return put(e, content);
    }

    public TestLayer symlink(String name, String target) {
        var e = entry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0777);
        return put(e, null);
    }

    public TestLayer hardlink(String name, String target) {
        var e = entry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        return put(e, null);
    }

    /** {@code whiteout("a/b")} writes {@code a/.wh.b}. */
    public TestLayer whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), "");
    }

    public TestLayer opaque(String dir) {
        return file((dir.isEmpty() ? "" : dir + "/") + ".wh..wh..opq", "");
    }

    public TestLayer device(String name, byte type, int major, int minor) {
        var e = entry(name, type);
        e.setMode(0600);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return put(e, null);
    }

    /** A PAX header with raw byte values (binary xattrs), applying to the next entry. */
    public TestLayer paxRecords(Map<String, byte[]> records) {
        var data = new ByteArrayOutputStream();
        for (var r : records.entrySet()) {
            byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
            int body = 1 + key.length + 1 + r.getValue().length + 1;
            int length = body + String.valueOf(body).length();
            if (String.valueOf(length).length() != String.valueOf(body).length()) {
                length++;
            }
            data.writeBytes((length + " ").getBytes(StandardCharsets.US_ASCII));
            data.writeBytes(key);
            data.write('=');
            data.writeBytes(r.getValue());
            data.write('\n');
        }
        var e = entry("PaxHeaders/next", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        e.setSize(data.size());
        return put(e, data.toByteArray());
    }

    public byte[] tar() {
        try {
            if (!finished) {
                tar.finish();
                finished = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public byte[] gzip() {
        var out = new ByteArrayOutputStream();
        try (var gz = new GzipCompressorOutputStream(out)) {
            gz.write(tar());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public byte[] zstd() {
        return zstd(tar());
    }

    public static byte[] zstd(byte[] data) {
        var out = new ByteArrayOutputStream();
        try (var z = new ZstdOutputStream(out)) {
            z.setChecksum(true);
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public InputStream stream() {
        return new ByteArrayInputStream(tar());
    }

    private static TarArchiveEntry entry(String name, byte type) {
        var e = new TarArchiveEntry(name, type, true);
        e.setModTime(MTIME);
        return e;
    }

    private TestLayer put(TarArchiveEntry e, byte[] content) {
        try {
            tar.putArchiveEntry(e);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return this;
    }
}
