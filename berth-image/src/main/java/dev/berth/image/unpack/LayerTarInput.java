package dev.berth.image.unpack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * commons-compress's tar reader with three things a layer unpacker needs that it does not expose:
 * <ul>
 *   <li>the raw bytes of PAX and GNU long-name headers: commons decodes PAX values as UTF-8 (losing
 *       binary xattrs such as {@code security.capability}) and strips a leading {@code /} from long
 *       names (hiding an absolute name the unpacker must reject). It reads those headers through
 *       {@link #read(byte[], int, int)} while the header is the current entry, so they are captured there;</li>
 *   <li>whether the archive ended with its end-of-archive record, so a plain tar cut at an entry
 *       boundary is reported as truncated instead of unpacking as a shorter image;</li>
 *   <li>every read failure turned into {@link CorruptStream}, telling a bad blob from a bad host.</li>
 * </ul>
 */
final class LayerTarInput extends TarArchiveInputStream {
    private static final String XATTR_SCHILY = "SCHILY.xattr.";
    private static final String XATTR_LIBARCHIVE = "LIBARCHIVE.xattr.";

    /** The entry's name and link target as written, and its xattrs with their exact bytes. */
    record RawHeaders(String path, String linkPath, Map<String, byte[]> xattrs) {
    }

    private final ByteArrayOutputStream pax = new ByteArrayOutputStream();
    private final ByteArrayOutputStream longName = new ByteArrayOutputStream();
    private final ByteArrayOutputStream longLink = new ByteArrayOutputStream();
    private boolean endRecordSeen;
    private RawHeaders raw = new RawHeaders(null, null, Map.of());

    LayerTarInput(InputStream in) {
        super(in, StandardCharsets.UTF_8.name());
    }

    /** The next entry, or {@code null} at the end of the archive. */
    TarArchiveEntry next() throws CorruptStream {
        pax.reset();
        longName.reset();
        longLink.reset();
        TarArchiveEntry entry;
        try {
            entry = getNextEntry();
        } catch (IOException e) {
            throw CorruptStream.of(e);
        } catch (IllegalArgumentException e) { // commons reports some malformed header fields this way
            throw new CorruptStream(e.getMessage(), e);
        }
        raw = entry == null ? new RawHeaders(null, null, Map.of()) : parseRaw();
        return entry;
    }

    /** Headers of the entry {@link #next()} returned last, as written in the archive. */
    RawHeaders raw() {
        return raw;
    }

    boolean endRecordSeen() {
        return endRecordSeen;
    }

    @Override
    public int read(byte[] buf, int offset, int length) throws IOException {
        int n;
        try {
            n = super.read(buf, offset, length);
        } catch (IOException e) {
            throw CorruptStream.of(e);
        }
        if (n > 0) {
            TarArchiveEntry current = getCurrentEntry();
            if (current != null) {
                if (current.isPaxHeader()) {
                    pax.write(buf, offset, n);
                } else if (current.isGNULongNameEntry()) {
                    longName.write(buf, offset, n);
                } else if (current.isGNULongLinkEntry()) {
                    longLink.write(buf, offset, n);
                }
            }
        }
        return n;
    }

    @Override
    protected boolean isEOFRecord(byte[] record) {
        boolean eof = super.isEOFRecord(record);
        if (eof && record != null) {
            endRecordSeen = true; // a zero record, not the stream running dry
        }
        return eof;
    }

    private RawHeaders parseRaw() throws CorruptStream {
        String path = longName.size() > 0 ? cString(longName.toByteArray()) : null;
        String linkPath = longLink.size() > 0 ? cString(longLink.toByteArray()) : null;
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        byte[] records = pax.toByteArray();
        int pos = 0;
        while (pos < records.length) {
            int space = indexOf(records, (byte) ' ', pos);
            int length = space < 0 ? -1 : parseLength(records, pos, space);
            if (length <= 0 || pos + length > records.length || records[pos + length - 1] != '\n') {
                throw new CorruptStream("malformed PAX header record", null);
            }
            int equals = indexOf(records, (byte) '=', space + 1);
            if (equals < 0 || equals >= pos + length) {
                throw new CorruptStream("malformed PAX header record", null);
            }
            String key = new String(records, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(records, equals + 1, pos + length - 1);
            if (key.equals("path")) {
                path = new String(value, StandardCharsets.UTF_8);
            } else if (key.equals("linkpath")) {
                linkPath = new String(value, StandardCharsets.UTF_8);
            } else if (key.startsWith(XATTR_SCHILY)) {
                xattrs.put(key.substring(XATTR_SCHILY.length()), value);
            } else if (key.startsWith(XATTR_LIBARCHIVE)) {
                try {
                    xattrs.put(URLDecoder.decode(key.substring(XATTR_LIBARCHIVE.length()), StandardCharsets.UTF_8),
                            Base64.getDecoder().decode(value));
                } catch (IllegalArgumentException e) {
                    throw new CorruptStream("malformed LIBARCHIVE.xattr PAX record", e);
                }
            }
            pos += length;
        }
        return new RawHeaders(path, linkPath, xattrs);
    }

    private static int parseLength(byte[] b, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9' || value > 10_000_000) {
                return -1;
            }
            value = value * 10 + (b[i] - '0');
        }
        return value;
    }

    private static int indexOf(byte[] b, byte wanted, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String cString(byte[] b) {
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}
