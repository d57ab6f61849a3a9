package dev.berth.engine.readiness;

import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendStatus;
import dev.berth.api.spi.Handle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Ready once a line of the workload's output (stdout or stderr) contains a match of the regex.
 * The logs are followed on a virtual thread from the first check on, so no line is read twice.
 */
final class LogProbe implements ReadinessProbe {
    private static final Logger LOG = Logger.getLogger(LogProbe.class.getName());
    private static final LogQuery FOLLOW_BOTH = new LogQuery(null, null, true, true, true, false);

    private final Pattern pattern;
    private final Backend backend;
    private final Handle handle;
    private final AtomicBoolean matched = new AtomicBoolean();
    private final AtomicReference<Stream<LogLine>> lines = new AtomicReference<>();
    private volatile Thread reader;

    LogProbe(String regex, Backend backend, Handle handle) {
        this.pattern = Pattern.compile(regex);
        this.backend = backend;
        this.handle = handle;
    }

    @Override
    public String describe() {
        return "log /" + pattern.pattern() + "/";
    }

    @Override
    public void check(BackendStatus status) throws Exception {
        if (reader == null) {
            Stream<LogLine> stream = backend.logs(handle, FOLLOW_BOTH);
            lines.set(stream);
            reader = Thread.ofVirtual().name("berth-readiness-log").start(() -> follow(stream));
        }
        if (!matched.get()) {
            throw new NotReady("no log line matches yet");
        }
    }

    private void follow(Stream<LogLine> stream) {
        try {
            stream.filter(l -> pattern.matcher(l.text()).find()).findFirst().ifPresent(l -> matched.set(true));
        } catch (RuntimeException e) {
            if (lines.get() != null) {
                LOG.log(Level.FINE, "following the logs of " + handle + " for readiness ended", e);
            }
        }
    }

    @Override
    public void close() {
        Stream<LogLine> stream = lines.getAndSet(null);
        if (stream != null) {
            stream.close();
        }
    }
}
