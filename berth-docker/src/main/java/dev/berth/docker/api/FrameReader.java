package dev.berth.docker.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads Docker's stdout/stderr stream. Without a TTY the daemon multiplexes: each frame has an
 * 8-byte header (byte 0 = stream type, bytes 4-7 = big-endian payload length). With a TTY the
 * stream is raw and everything is reported as STDOUT.
 *
 * <p>Not thread-safe; closing it from another thread ends a blocked {@link #next()} with EOF.
 */
public final class FrameReader implements AutoCloseable {
    /** Far above anything dockerd emits (32 KiB); guards against reading garbage as a length. */
    private static final int MAX_FRAME = 64 * 1024 * 1024;
    private static final int RAW_CHUNK = 32 * 1024;

    private final InputStream in;
    private final boolean raw;
    private final byte[] header = new byte[8];
    private byte[] rawBuffer;

    private FrameReader(InputStream in, boolean raw) {
        this.in = in;
        this.raw = raw;
    }

    public static FrameReader multiplexed(InputStream in) {
        return new FrameReader(in, false);
    }

    public static FrameReader raw(InputStream in) {
        return new FrameReader(in, true);
    }

    /** Raw when the container/exec was created with {@code Tty: true}, multiplexed otherwise. */
    public static FrameReader of(InputStream in, boolean tty) {
        return new FrameReader(in, tty);
    }

    public boolean isRaw() {
        return raw;
    }

    /** The next frame, or null at end of stream. */
    public Frame next() throws IOException {
        return raw ? nextRaw() : nextMultiplexed();
    }

    private Frame nextRaw() throws IOException {
        if (rawBuffer == null) {
            rawBuffer = new byte[RAW_CHUNK];
        }
        int n = in.read(rawBuffer);
        if (n < 0) {
            return null;
        }
        byte[] data = new byte[n];
        System.arraycopy(rawBuffer, 0, data, 0, n);
        return new Frame(StreamType.STDOUT, data);
    }

    private Frame nextMultiplexed() throws IOException {
        while (true) {
            int got = readFully(header, 8);
            if (got == 0) {
                return null;
            }
            if (got < 8) {
                throw new EOFException("Stream ended inside a frame header (" + got + " of 8 bytes)");
            }
            StreamType type;
            try {
                type = StreamType.of(header[0] & 0xff);
            } catch (IllegalArgumentException e) {
                throw new IOException("Corrupt multiplexed stream (is the container a TTY?): header byte "
                        + (header[0] & 0xff), e);
            }
            long len = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            if (len > MAX_FRAME) {
                throw new IOException("Corrupt multiplexed stream: frame length " + len);
            }
            if (len == 0) {
                continue;
            }
            byte[] data = new byte[(int) len];
            int n = readFully(data, data.length);
            if (n < len) {
                throw new EOFException("Stream ended inside a frame (" + n + " of " + len + " bytes)");
            }
            return new Frame(type, data);
        }
    }

    /** Own loop rather than readNBytes: some InputStream subclasses override that to read once. */
    private int readFully(byte[] b, int len) throws IOException {
        int got = 0;
        while (got < len) {
            int n = in.read(b, got, len - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }

    /**
     * Copies everything until EOF, routing STDOUT to {@code stdout} and STDERR/SYSTEMERR to
     * {@code stderr}; each frame is flushed so interleaving is visible promptly.
     */
    public void demuxTo(OutputStream stdout, OutputStream stderr) throws IOException {
        Frame f;
        while ((f = next()) != null) {
            OutputStream target = f.stream() == StreamType.STDOUT ? stdout : stderr;
            target.write(f.data());
            target.flush();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
