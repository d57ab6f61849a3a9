package dev.berth.docker.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Buffered writes so that a request line, its headers and a small body leave in a single write.
 */
final class ChannelOutput extends OutputStream {
    private final SocketChannel channel;
    private final ByteBuffer buf;

    ChannelOutput(SocketChannel channel, int bufferSize) {
        this.channel = channel;
        this.buf = ByteBuffer.allocateDirect(bufferSize);
    }

    @Override
    public void write(int b) throws IOException {
        if (!buf.hasRemaining()) {
            drain();
        }
        buf.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!buf.hasRemaining()) {
                drain();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Writes US-ASCII text; refuses CR/LF and non-ASCII so values cannot inject headers. */
    void writeAscii(String s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7e || c == '\r' || c == '\n') {
                throw new IllegalArgumentException("Illegal character in HTTP head: " + (int) c);
            }
            write(c);
        }
    }

    void writeLine(String s) throws IOException {
        writeAscii(s);
        write('\r');
        write('\n');
    }

    private void drain() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        buf.clear();
    }

    @Override
    public void flush() throws IOException {
        if (buf.position() > 0) {
            drain();
        }
    }

    @Override
    public void close() {
        // The owning HttpConnection closes the channel.
    }
}
