package dev.berth.docker.api;

/** Byte 0 of a multiplexed frame header. */
public enum StreamType {
    STDIN, STDOUT, STDERR,
    /** API 1.42+: the daemon reporting an error on the stream itself. */
    SYSTEMERR;

    static StreamType of(int code) {
        return switch (code) {
            case 0 -> STDIN;
            case 1 -> STDOUT;
            case 2 -> STDERR;
            case 3 -> SYSTEMERR;
            default -> throw new IllegalArgumentException("Unknown stream type " + code);
        };
    }
}
