package dev.berth.image.registry;

/** Token scopes of the distribution spec's token authentication. */
final class Scopes {
    private Scopes() {
    }

    static String pull(String repository) {
        return "repository:" + repository + ":pull";
    }

    static String push(String repository) {
        return "repository:" + repository + ":pull,push";
    }
}
