package dev.berth.api.model;

/** Which output stream a log line or exec output chunk came from. */
public enum LogStream {
    STDOUT, STDERR
}
