package dev.berth.docker.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes an HTTP/1.1 chunked body. Returns data chunk by chunk as it arrives and reports EOF only
 * after the terminating zero chunk and trailers were consumed, so the connection is clean for reuse.
 * Does not close the underlying stream.
 */
public final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining = -1; // bytes left in the current chunk; -1 before the first size line
    private boolean eof;

    public ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        if (!ensureChunk()) {
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            throw new EOFException("Connection closed inside a chunk");
        }
        remaining--;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!ensureChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("Connection closed inside a chunk");
        }
        remaining -= n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return eof ? 0 : (int) Math.min(remaining, in.available());
    }

    private boolean ensureChunk() throws IOException {
        if (eof) {
            return false;
        }
        if (remaining > 0) {
            return true;
        }
        if (remaining == 0) {
            expectCrlf();
        }
        long size = parseSize(readLine());
        if (size == 0) {
            // Trailers (never sent by Docker, but legal) end with an empty line.
            while (!readLine().isEmpty()) {
                // skip
            }
            eof = true;
            return false;
        }
        remaining = size;
        return true;
    }

    private void expectCrlf() throws IOException {
        if (!readLine().isEmpty()) {
            throw new IOException("Malformed chunked body: missing CRLF after chunk data");
        }
    }

    private static long parseSize(String line) throws IOException {
        int semi = line.indexOf(';'); // chunk extensions are ignored
        String hex = (semi >= 0 ? line.substring(0, semi) : line).strip();
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException e) {
            throw new IOException("Malformed chunk size: '" + line + "'");
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(16);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Connection closed inside chunked framing");
            }
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() > 4096) {
                throw new IOException("Malformed chunked body: line too long");
            }
            sb.append((char) b);
        }
    }
}
