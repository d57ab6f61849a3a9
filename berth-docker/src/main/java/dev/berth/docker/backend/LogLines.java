package dev.berth.docker.backend;

import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogStream;
import dev.berth.docker.api.Frame;
import dev.berth.docker.api.FrameReader;
import dev.berth.docker.api.StreamType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Turns Docker's multiplexed log frames into lines, one buffer per stream, since a frame may
 * hold several lines or part of one. Logs are always requested with timestamps, which are
 * parsed off each line (Docker prefixes RFC 3339 with nanoseconds and a space).
 */
final class LogLines implements Iterator<LogLine> {
    private final FrameReader frames;
    private final String backend;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ArrayDeque<LogLine> ready = new ArrayDeque<>();
    private boolean ended;

    private LogLines(FrameReader frames, String backend) {
        this.frames = frames;
        this.backend = backend;
    }

    static Stream<LogLine> stream(FrameReader frames, String backend) {
        var lines = new LogLines(frames, backend);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(lines, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        frames.close();
                    } catch (IOException e) {
                        // Closing a follow stream early is the normal way to stop it.
                    }
                });
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && !ended) {
            Frame f;
            try {
                f = frames.next();
            } catch (IOException e) {
                throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, backend + ": reading logs failed: " + e.getMessage(), e);
            }
            if (f == null) {
                ended = true;
                flush(out, LogStream.STDOUT);
                flush(err, LogStream.STDERR);
            } else {
                boolean isErr = f.stream() == StreamType.STDERR;
                split(isErr ? err : out, f.data(), isErr ? LogStream.STDERR : LogStream.STDOUT);
            }
        }
        return !ready.isEmpty();
    }

    @Override
    public LogLine next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    private void split(ByteArrayOutputStream buf, byte[] data, LogStream stream) {
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                buf.write(data, start, i - start);
                emit(buf, stream);
                start = i + 1;
            }
        }
        buf.write(data, start, data.length - start);
    }

    private void flush(ByteArrayOutputStream buf, LogStream stream) {
        if (buf.size() > 0) {
            emit(buf, stream);
        }
    }

    private void emit(ByteArrayOutputStream buf, LogStream stream) {
        String text = buf.toString(StandardCharsets.UTF_8);
        buf.reset();
        Instant ts = null;
        int space = text.indexOf(' ');
        if (space > 0 && space < 40 && text.length() > 20 && text.charAt(4) == '-') {
            try {
                ts = Instant.parse(text.substring(0, space));
                text = text.substring(space + 1);
            } catch (DateTimeParseException e) {
                ts = null;
            }
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        ready.add(new LogLine(stream, ts, text));
    }
}
