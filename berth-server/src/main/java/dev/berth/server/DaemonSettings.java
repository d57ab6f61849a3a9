package dev.berth.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.engine.EngineConfig;
import dev.berth.server.client.DaemonAddress;
import dev.berth.server.http.ApiServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The daemon's settings, from {@code --config FILE} (YAML or JSON) with command-line flags on top.
 * Unknown keys are errors, so a typo never silently falls back to a default.
 */
public record DaemonSettings(Path socket, Path dataDir, String tcp, Path tokenFile, boolean stopWorkloadsOnExit,
                             String defaultBackend, Map<String, Map<String, String>> backends) {
    public DaemonSettings {
        socket = socket == null ? DaemonAddress.DEFAULT_SOCKET : socket;
        dataDir = dataDir == null ? EngineConfig.defaultDataDir() : dataDir;
        backends = backends == null ? Map.of() : Map.copyOf(backends);
    }

    public static DaemonSettings defaults() {
        return new DaemonSettings(null, null, null, null, false, null, null);
    }

    public static DaemonSettings load(Path file) {
        try {
            var mapper = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            DaemonSettings settings = mapper.readValue(Files.readString(file, StandardCharsets.UTF_8), DaemonSettings.class);
            return settings == null ? defaults() : settings;
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "config " + file + ": " + firstLine(e.getMessage()), "config", e);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }

    public DaemonSettings withSocket(Path value) {
        return value == null ? this : new DaemonSettings(value, dataDir, tcp, tokenFile, stopWorkloadsOnExit, defaultBackend, backends);
    }

    public DaemonSettings withDataDir(Path value) {
        return value == null ? this : new DaemonSettings(socket, value, tcp, tokenFile, stopWorkloadsOnExit, defaultBackend, backends);
    }

    public DaemonSettings withTcp(String value) {
        return value == null ? this : new DaemonSettings(socket, dataDir, value, tokenFile, stopWorkloadsOnExit, defaultBackend, backends);
    }

    public DaemonSettings withTokenFile(Path value) {
        return value == null ? this : new DaemonSettings(socket, dataDir, tcp, value, stopWorkloadsOnExit, defaultBackend, backends);
    }

    public DaemonSettings withStopWorkloadsOnExit(boolean value) {
        return !value ? this : new DaemonSettings(socket, dataDir, tcp, tokenFile, true, defaultBackend, backends);
    }

    public DaemonSettings withDefaultBackend(String value) {
        return value == null ? this : new DaemonSettings(socket, dataDir, tcp, tokenFile, stopWorkloadsOnExit, value, backends);
    }

    /** Where to listen; {@code envToken} ($BERTH_TOKEN) is used when no token file is set. */
    public ApiServer.Listen listen(String envToken) {
        if (tcp == null) {
            return new ApiServer.Listen(socket, null, null);
        }
        String token = tokenFile != null ? readToken(tokenFile) : envToken;
        return new ApiServer.Listen(socket, parseTcp(tcp), token);
    }

    static InetSocketAddress parseTcp(String value) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon > 0) {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (port >= 0 && port <= 65535) {
                    return new InetSocketAddress(value.substring(0, colon).replace("[", "").replace("]", ""), port);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw BerthException.invalidField("tcp", value, "allowed: HOST:PORT, e.g. 127.0.0.1:2376");
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT, "token file " + file + " is empty", "tokenFile", null);
            }
            return token;
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read token file " + file + ": " + e.getMessage(), "tokenFile", e);
        }
    }
}
