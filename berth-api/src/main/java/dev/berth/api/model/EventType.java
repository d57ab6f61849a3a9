package dev.berth.api.model;

/** What happened to a workload. */
public enum EventType {
    CREATED, STARTED, READY, EXITED, RESTARTED, STOPPED, REMOVED, FAILED, RECONCILED
}
