package dev.berth.api.model;

/** What happened to a workload. Written in lower case on the wire. */
public enum EventType {
    CREATED, STARTED, READY, EXITED, RESTARTED, STOPPED, REMOVED, FAILED, RECONCILED
}
