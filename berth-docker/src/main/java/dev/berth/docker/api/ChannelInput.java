package dev.berth.docker.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * Buffered reads from a blocking socket channel. Reads return as soon as any data is available, so
 * streamed bodies (follow logs, events) reach the caller progressively. One buffer per connection,
 * reused across pooled requests.
 */
final class ChannelInput extends InputStream {
    private static final int MAX_LINE = 64 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer buf;
    private volatile boolean closedByUs;

    ChannelInput(SocketChannel channel, int bufferSize) {
        this.channel = channel;
        // Direct, so the kernel copies straight into it without a temporary buffer per read.
        this.buf = ByteBuffer.allocateDirect(bufferSize).limit(0);
    }

    private boolean fill() throws IOException {
        buf.clear();
        int n;
        try {
            n = channel.read(buf);
        } catch (ClosedChannelException e) { // includes AsynchronousCloseException
            // Someone closed the stream to stop a follow/attach: end-of-stream is the expected outcome.
            if (closedByUs) {
                n = -1;
            } else {
                throw e;
            }
        } finally {
            buf.flip();
        }
        return n > 0;
    }

    void markClosedByUs() {
        closedByUs = true;
    }

    @Override
    public int read() throws IOException {
        if (!buf.hasRemaining() && !fill()) {
            return -1;
        }
        return buf.get() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!buf.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, buf.remaining());
        buf.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return buf.remaining();
    }

    /**
     * Reads a CRLF (or LF) terminated ASCII line without the terminator; null on clean EOF before
     * the first byte, which on a reused connection means the server had closed it.
     */
    String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            if (!buf.hasRemaining() && !fill()) {
                if (sb.isEmpty()) {
                    return null;
                }
                throw new EOFException("Connection closed in the middle of a header line");
            }
            byte b = buf.get();
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("HTTP header line longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) (b & 0xff));
        }
    }

    /**
     * Non-blocking probe of an idle pooled connection: false if the peer closed it or sent
     * unsolicited bytes. Costs a few syscalls, far cheaper than a failed request.
     */
    boolean idleAndOpen() {
        if (buf.hasRemaining()) {
            return false;
        }
        try {
            channel.configureBlocking(false);
            try {
                buf.clear();
                int n = channel.read(buf);
                return n == 0;
            } finally {
                buf.flip();
                channel.configureBlocking(true);
            }
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        // The owning HttpConnection closes the channel.
    }
}
