package dev.berth.oci.conmon;

import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.LogStream;
import dev.berth.oci.transport.CommandTransport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A workload's log as conmon writes it (k8s-file), read from disk: so logs outlive the process,
 * the runtime container and any Berth process. Following reads what was written so far, then
 * waits for the file to grow (inotify locally) until conmon has written the exit file.
 */
public final class LogReader {
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

    private final CommandTransport transport;
    private final String dir;
    private final String path;
    private final StatusDir status;

    public LogReader(CommandTransport transport, String dir, String fileName, StatusDir status) {
        this.transport = transport;
        this.dir = dir;
        this.path = dir + "/" + fileName;
        this.status = status;
    }

    public Stream<LogLine> read(LogQuery query) {
        var cursor = new Cursor();
        List<LogLine> now = filter(cursor.next(), query);
        if (query.tail() != null) {
            now = now.subList(Math.max(0, now.size() - query.tail()), now.size());
        }
        if (!query.follow()) {
            var all = new ArrayList<>(now);
            all.addAll(filter(cursor.parser.flush(), query));
            return all.stream();
        }
        var follower = new Follower(cursor, query, now);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(follower, Spliterator.ORDERED), false)
                .onClose(follower::close);
    }

    private static List<LogLine> filter(List<LogLine> lines, LogQuery q) {
        return lines.stream()
                .filter(l -> l.stream() == LogStream.STDOUT ? q.stdout() : q.stderr())
                .filter(l -> q.since() == null || l.timestamp() == null || !l.timestamp().isBefore(q.since()))
                .toList();
    }

    /** Reads the file from where it left off, keeping an incomplete last record for the next read. */
    private final class Cursor {
        final K8sLogParser parser = new K8sLogParser();
        long offset;
        byte[] rest = new byte[0];

        List<LogLine> next() {
            byte[] fresh = readFrom(offset);
            offset += fresh.length;
            var bytes = new ByteArrayOutputStream(rest.length + fresh.length);
            bytes.writeBytes(rest);
            bytes.writeBytes(fresh);
            byte[] all = bytes.toByteArray();
            int end = lastNewline(all);
            rest = java.util.Arrays.copyOfRange(all, end + 1, all.length);
            var out = new ArrayList<LogLine>();
            if (end >= 0) {
                String text = new String(all, 0, end, StandardCharsets.UTF_8);
                for (String record : text.split("\n", -1)) {
                    parser.accept(record).ifPresent(out::add);
                }
            }
            return out;
        }

        private static int lastNewline(byte[] bytes) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }

    private byte[] readFrom(long offset) {
        return transport.readFileFrom(path, offset);
    }

    /** Yields the lines read so far, then new ones as they come, until the workload has exited. */
    private final class Follower implements Iterator<LogLine>, AutoCloseable {
        private final Cursor cursor;
        private final LogQuery query;
        private final ArrayDeque<LogLine> ready;
        private final DirWatch watch;
        private volatile boolean closed;
        private boolean ended;

        Follower(Cursor cursor, LogQuery query, List<LogLine> first) {
            this.cursor = cursor;
            this.query = query;
            this.ready = new ArrayDeque<>(first);
            this.watch = DirWatch.open(dir, transport.isLocal());
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && !ended && !closed) {
                // Look at the exit file before reading: output written before the exit is then surely read.
                boolean exited = status.exit().isPresent();
                ready.addAll(filter(cursor.next(), query));
                if (exited) {
                    ready.addAll(filter(cursor.parser.flush(), query));
                    ended = true;
                } else if (ready.isEmpty()) {
                    try {
                        watch.await(LOOK_AGAIN);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        closed = true;
                    } catch (ClosedWatchServiceException e) {
                        closed = true;
                    }
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

        @Override
        public void close() {
            closed = true;
            watch.close();
        }
    }
}
