package dev.berth.docker.api;

/**
 * Parameters of {@code GET /containers/{id}/logs}.
 *
 * @param tail       "all" or a line count; null means all
 * @param sinceEpochSeconds 0 for no lower bound
 * @param tty        whether the container was created with a TTY (its log stream is then raw, not multiplexed)
 */
public record LogOptions(boolean stdout, boolean stderr, boolean follow, String tail,
                         long sinceEpochSeconds, boolean timestamps, boolean tty) {

    /** stdout and stderr, everything so far, no follow, non-TTY container. */
    public static LogOptions all() {
        return new LogOptions(true, true, false, null, 0, false, false);
    }

    public LogOptions withFollow(boolean f) {
        return new LogOptions(stdout, stderr, f, tail, sinceEpochSeconds, timestamps, tty);
    }

    public LogOptions withTail(String t) {
        return new LogOptions(stdout, stderr, follow, t, sinceEpochSeconds, timestamps, tty);
    }

    public LogOptions withSince(long epochSeconds) {
        return new LogOptions(stdout, stderr, follow, tail, epochSeconds, timestamps, tty);
    }

    public LogOptions withTimestamps(boolean ts) {
        return new LogOptions(stdout, stderr, follow, tail, sinceEpochSeconds, ts, tty);
    }

    public LogOptions withTty(boolean t) {
        return new LogOptions(stdout, stderr, follow, tail, sinceEpochSeconds, timestamps, t);
    }

    public LogOptions withStreams(boolean out, boolean err) {
        return new LogOptions(out, err, follow, tail, sinceEpochSeconds, timestamps, tty);
    }
}
