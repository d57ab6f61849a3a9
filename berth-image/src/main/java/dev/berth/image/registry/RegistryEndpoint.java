package dev.berth.image.registry;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Where a registry's API is served: HTTPS, except plain HTTP for loopback registries
 * ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) and those explicitly marked insecure.
 *
 * @param host host[:port] API calls go to ({@code registry-1.docker.io}, {@code 127.0.0.1:5000})
 */
record RegistryEndpoint(String host, boolean plainHttp) {

    static RegistryEndpoint of(String host, Set<String> insecureRegistries) {
        return new RegistryEndpoint(host, isLoopback(host) || insecureRegistries.contains(host));
    }

    URI base() {
        return URI.create((plainHttp ? "http://" : "https://") + host);
    }

    URI resolve(String path) {
        return URI.create(base() + path);
    }

    /** The host name without port (IPv6 literals keep their brackets). */
    String hostname() {
        return hostname(host);
    }

    int port() {
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']') && colon >= 0) {
            return Integer.parseInt(host.substring(colon + 1));
        }
        return plainHttp ? 80 : 443;
    }

    static String hostname(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (hostAndPort.startsWith("[")) {
            return hostAndPort.substring(0, hostAndPort.indexOf(']') + 1);
        }
        return colon >= 0 ? hostAndPort.substring(0, colon) : hostAndPort;
    }

    /** Loopback by its literal name only: a DNS name that resolves to 127.0.0.1 does not count. */
    static boolean isLoopback(String hostAndPort) {
        String name = hostname(hostAndPort).toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.equals("[::1]") || name.equals("::1")) {
            return true;
        }
        String[] octets = name.split("\\.");
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String octet : octets) {
            if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return base().toString();
    }
}
