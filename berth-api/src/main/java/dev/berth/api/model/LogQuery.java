package dev.berth.api.model;

import java.time.Instant;

/** Which log lines to read: the last {@code tail} (null = all), since an instant, and whether to follow. */
public record LogQuery(Integer tail, Instant since, boolean follow, boolean stdout, boolean stderr, boolean timestamps) {
    public static final LogQuery ALL = new LogQuery(null, null, false, true, true, false);

    public LogQuery withTail(Integer n) {
        return new LogQuery(n, since, follow, stdout, stderr, timestamps);
    }

    public LogQuery withFollow(boolean value) {
        return new LogQuery(tail, since, value, stdout, stderr, timestamps);
    }

    public LogQuery withTimestamps(boolean value) {
        return new LogQuery(tail, since, follow, stdout, stderr, value);
    }

    public LogQuery withSince(Instant value) {
        return new LogQuery(tail, value, follow, stdout, stderr, timestamps);
    }
}
