package dev.berth.api.model;

/** Registry credentials. Never printed: {@link #toString()} hides the secret. */
public record Credentials(String username, String password, String serverAddress, String identityToken) {
    public static Credentials basic(String username, String password, String serverAddress) {
        return new Credentials(username, password, serverAddress, null);
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", serverAddress=" + serverAddress + ", secret=***]";
    }
}
