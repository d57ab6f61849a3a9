package dev.berth.engine.readiness;

/** A probe's "not yet", with the reason that ends up in the timeout message. */
final class NotReady extends Exception {
    private static final long serialVersionUID = 1L;

    NotReady(String message) {
        super(message, null, false, false);
    }
}
