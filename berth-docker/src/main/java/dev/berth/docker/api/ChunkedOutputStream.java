package dev.berth.docker.api;

import java.io.IOException;
import java.io.OutputStream;

/** Encodes a request body of unknown length with chunked transfer encoding. */
final class ChunkedOutputStream extends OutputStream {
    private final OutputStream out;

    ChunkedOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return; // a zero-size chunk would terminate the body
        }
        writeAscii(Integer.toHexString(len));
        out.write(b, off, len);
        writeAscii("");
    }

    /** Writes the terminating zero-size chunk; the underlying stream stays open. */
    void finish() throws IOException {
        out.write(new byte[] {'0', '\r', '\n', '\r', '\n'});
    }

    private void writeAscii(String s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
        out.write('\r');
        out.write('\n');
    }
}
