package dev.berth.docker.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.TreeMap;

/** One HTTP/1.1 connection over a unix socket: writes requests, parses response heads and framing. */
final class HttpConnection implements AutoCloseable {
    private static final int IN_BUFFER = 32 * 1024;
    private static final int OUT_BUFFER = 16 * 1024;

    /** The head of a response; headers are case-insensitive. */
    record Head(int status, String reason, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }

        boolean closeRequested() {
            String c = headers.get("Connection");
            return c != null && c.toLowerCase().contains("close");
        }
    }

    /** The server closed an idle keep-alive connection before answering. */
    static final class StaleConnectionException extends EOFException {
        StaleConnectionException() {
            super("Server closed the connection before responding");
        }
    }

    private final SocketChannel channel;
    private final ChannelInput in;
    private final ChannelOutput out;
    private byte[] scratch;
    private boolean reused;
    private volatile boolean closed;

    private HttpConnection(SocketChannel channel) {
        this.channel = channel;
        this.in = new ChannelInput(channel, IN_BUFFER);
        this.out = new ChannelOutput(channel, OUT_BUFFER);
    }

    static HttpConnection open(SocketAddress address) throws IOException {
        // A unix socket whose listen backlog is full fails connect with EAGAIN instead of
        // queueing (virtual threads connect non-blocking). That is transient by definition, so
        // back off briefly a bounded number of times rather than failing a burst of requests.
        long backoffMillis = 1;
        for (int attempt = 1; ; attempt++) {
            SocketChannel ch = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            try {
                ch.connect(address);
                if (!(address instanceof UnixDomainSocketAddress)) {
                    ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                }
                return new HttpConnection(ch);
            } catch (IOException e) {
                ch.close();
                if (attempt >= CONNECT_ATTEMPTS || !isBacklogFull(e)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("Interrupted while connecting to " + address);
            }
            backoffMillis = Math.min(backoffMillis * 2, 100);
        }
    }

    private static final int CONNECT_ATTEMPTS = 10;

    private static boolean isBacklogFull(IOException e) {
        String m = e.getMessage();
        return m != null && m.contains("Resource temporarily unavailable");
    }

    ChannelInput input() {
        return in;
    }

    ChannelOutput output() {
        return out;
    }

    boolean reused() {
        return reused;
    }

    void markReused() {
        reused = true;
    }

    boolean isOpen() {
        return !closed && channel.isOpen();
    }

    boolean idleAndOpen() {
        return isOpen() && in.idleAndOpen();
    }

    void writeRequest(HttpRequest req) throws IOException {
        out.writeAscii(req.method());
        out.write(' ');
        out.writeAscii(req.target());
        out.writeLine(" HTTP/1.1");
        // Docker ignores Host on a unix socket, but HTTP/1.1 requires one.
        out.writeLine("Host: docker");
        out.writeLine("User-Agent: berth");
        for (Map.Entry<String, String> h : req.headers().entrySet()) {
            out.writeLine(h.getKey() + ": " + h.getValue());
        }
        HttpRequest.Body body = req.body();
        if (body == null) {
            if (req.method().equals("POST") || req.method().equals("PUT")) {
                out.writeLine("Content-Length: 0");
            }
            out.writeLine("");
        } else {
            if (body.contentType() != null) {
                out.writeLine("Content-Type: " + body.contentType());
            }
            switch (body) {
                case HttpRequest.Bytes b -> {
                    out.writeLine("Content-Length: " + b.data().length);
                    out.writeLine("");
                    out.write(b.data());
                }
                case HttpRequest.Streamed s when s.length() >= 0 -> {
                    out.writeLine("Content-Length: " + s.length());
                    out.writeLine("");
                    copyExactly(s.in(), out, s.length());
                }
                case HttpRequest.Streamed s -> {
                    out.writeLine("Transfer-Encoding: chunked");
                    out.writeLine("");
                    ChunkedOutputStream chunked = new ChunkedOutputStream(out);
                    copy(s.in(), chunked);
                    chunked.finish();
                }
            }
        }
        out.flush();
    }

    private byte[] scratch() {
        if (scratch == null) {
            scratch = new byte[16 * 1024];
        }
        return scratch;
    }

    private void copy(InputStream src, OutputStream dst) throws IOException {
        byte[] b = scratch();
        int n;
        while ((n = src.read(b)) >= 0) {
            dst.write(b, 0, n);
        }
    }

    private void copyExactly(InputStream src, OutputStream dst, long length) throws IOException {
        byte[] b = scratch();
        long left = length;
        while (left > 0) {
            int n = src.read(b, 0, (int) Math.min(b.length, left));
            if (n < 0) {
                throw new EOFException("Request body ended " + left + " bytes short of its declared length " + length);
            }
            dst.write(b, 0, n);
            left -= n;
        }
    }

    /** Reads the status line and headers, skipping interim 100 responses. */
    Head readHead() throws IOException {
        while (true) {
            String statusLine = in.readLine();
            if (statusLine == null) {
                throw new StaleConnectionException();
            }
            // "HTTP/1.1 200 OK"; the reason phrase may be empty or contain spaces.
            int sp1 = statusLine.indexOf(' ');
            if (!statusLine.startsWith("HTTP/") || sp1 < 0 || statusLine.length() < sp1 + 4) {
                throw new IOException("Malformed HTTP status line: '" + statusLine + "'");
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(sp1 + 1, sp1 + 4));
            } catch (NumberFormatException e) {
                throw new IOException("Malformed HTTP status line: '" + statusLine + "'");
            }
            String reason = statusLine.length() > sp1 + 5 ? statusLine.substring(sp1 + 5) : "";
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            String line;
            while (!(line = readHeaderLine()).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("Malformed HTTP header: '" + line + "'");
                }
                String name = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
            if (status == 100) {
                continue;
            }
            return new Head(status, reason, headers);
        }
    }

    private String readHeaderLine() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new EOFException("Connection closed inside the response headers");
        }
        return line;
    }

    /**
     * The decoded body stream for this response, or null when it has no body. Whether the
     * connection may be pooled once that stream hits EOF is {@link #reusableAfter(Head)}.
     */
    InputStream bodyStream(Head head, String method) {
        int s = head.status();
        if (method.equals("HEAD") || s == 204 || s == 304 || (s >= 100 && s < 200)) {
            return null;
        }
        String te = head.header("Transfer-Encoding");
        if (te != null && te.toLowerCase().contains("chunked")) {
            return new ChunkedInputStream(in);
        }
        String cl = head.header("Content-Length");
        if (cl != null) {
            long len = Long.parseLong(cl.strip());
            return len == 0 ? null : new FixedLengthInputStream(in, len);
        }
        return in; // delimited by connection close
    }

    static boolean reusableAfter(Head head) {
        if (head.closeRequested()) {
            return false;
        }
        return head.header("Transfer-Encoding") != null || head.header("Content-Length") != null
                || head.status() == 204 || head.status() == 304;
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        closed = true;
        in.markClosedByUs();
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the connection is being discarded.
        }
    }
}
