package dev.berth.engine.readiness;

import dev.berth.api.spi.BackendStatus;
import java.net.Socket;

/** Ready once a TCP connection to the port succeeds from the host. */
record TcpProbe(int port) implements ReadinessProbe {
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    @Override
    public String describe() {
        return "tcp port " + port;
    }

    @Override
    public void check(BackendStatus status) throws Exception {
        try (var socket = new Socket()) {
            socket.connect(ProbeAddress.of(status, port), CONNECT_TIMEOUT_MILLIS);
        }
    }
}
