package dev.berth.server.client;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client side of RFC 6455 framing over an already upgraded connection: masked frames out,
 * whole messages in (continuations joined, pings answered). Only what the exec socket needs.
 */
final class WebSocketChannel implements AutoCloseable {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    private static final int CONTINUATION = 0;
    private static final int PING = 9;
    private static final int PONG = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataInputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();

    WebSocketChannel(InputStream in, OutputStream out) {
        this.in = new DataInputStream(in);
        this.out = out;
    }

    /** A whole message: its opcode (TEXT, BINARY or CLOSE) and payload. */
    record Message(int opcode, byte[] payload) {
    }

    void send(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        writeLock.lock();
        try {
            out.write(0x80 | opcode);
            int n = payload.length;
            if (n < 126) {
                out.write(0x80 | n);
            } else if (n <= 0xFFFF) {
                out.write(0x80 | 126);
                out.write(n >>> 8);
                out.write(n);
            } else {
                out.write(0x80 | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) ((long) n >>> shift));
                }
            }
            out.write(mask);
            byte[] masked = new byte[n];
            for (int i = 0; i < n; i++) {
                masked[i] = (byte) (payload[i] ^ mask[i & 3]);
            }
            out.write(masked);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** The next data or close message; null when the connection ended without a close frame. */
    Message receive() throws IOException {
        int messageOpcode = -1;
        var data = new java.io.ByteArrayOutputStream();
        while (true) {
            int first;
            try {
                first = in.readUnsignedByte();
            } catch (EOFException e) {
                return null;
            }
            int opcode = first & 0x0F;
            boolean fin = (first & 0x80) != 0;
            byte[] payload = readPayload();
            switch (opcode) {
                case PING -> send(PONG, payload);
                case PONG -> { }
                case CLOSE -> {
                    return new Message(CLOSE, payload);
                }
                default -> {
                    if (opcode != CONTINUATION) {
                        messageOpcode = opcode;
                    }
                    data.write(payload);
                    if (fin) {
                        return new Message(messageOpcode, data.toByteArray());
                    }
                }
            }
        }
    }

    private byte[] readPayload() throws IOException {
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("WebSocket frame too large: " + length);
        }
        byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("WebSocket frame cut short");
        }
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return payload;
    }

    @Override
    public void close() {
        try {
            send(CLOSE, new byte[] {0x03, (byte) 0xE8});
        } catch (IOException e) {
            // already gone
        }
    }
}
