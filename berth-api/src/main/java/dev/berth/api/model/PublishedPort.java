package dev.berth.api.model;

import dev.berth.api.spec.Protocol;

/** A container port as it is reachable from the host, with the host port actually bound. */
public record PublishedPort(int containerPort, Protocol protocol, String hostIp, int hostPort) {
}
