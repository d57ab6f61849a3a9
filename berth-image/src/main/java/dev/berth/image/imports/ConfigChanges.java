package dev.berth.image.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.error.BerthException;
import dev.berth.image.store.ImageJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Applies Dockerfile-style changes to an image config's {@code config} object, as
 * {@code docker import --change} does: {@code CMD}, {@code ENTRYPOINT} (JSON array or shell form,
 * which becomes {@code /bin/sh -c}), {@code ENV k=v ...} (or {@code ENV k v}), {@code WORKDIR},
 * {@code USER}, {@code EXPOSE port[/proto] ...}, {@code LABEL k=v ...}.
 */
final class ConfigChanges {
    private static final String ALLOWED = "allowed: CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE, LABEL in Dockerfile syntax,"
            + " e.g. 'CMD [\"/bin/sh\"]' or 'ENV PATH=/usr/bin'";

    private ConfigChanges() {
    }

    static void apply(ObjectNode config, List<String> changes) {
        for (String change : changes) {
            String line = change.strip();
            int space = line.indexOf(' ');
            if (space < 0) {
                throw BerthException.invalidField("changes", change, ALLOWED);
            }
            String instruction = line.substring(0, space).toUpperCase(Locale.ROOT);
            String args = line.substring(space + 1).strip();
            switch (instruction) {
                case "CMD" -> config.set("Cmd", command(args, change));
                case "ENTRYPOINT" -> config.set("Entrypoint", command(args, change));
                case "WORKDIR" -> config.put("WorkingDir", args);
                case "USER" -> config.put("User", args);
                case "ENV" -> env(config, args, change);
                case "EXPOSE" -> {
                    ObjectNode ports = config.withObjectProperty("ExposedPorts");
                    for (String port : args.split("\\s+")) {
                        if (!port.matches("[0-9]{1,5}(/(tcp|udp|sctp))?")) {
                            throw BerthException.invalidField("changes", change, "EXPOSE takes port[/tcp|udp|sctp] values");
                        }
                        ports.putObject(port.contains("/") ? port : port + "/tcp");
                    }
                }
                case "LABEL" -> {
                    ObjectNode labels = config.withObjectProperty("Labels");
                    for (String pair : words(args, change)) {
                        int eq = pair.indexOf('=');
                        if (eq <= 0) {
                            throw BerthException.invalidField("changes", change, "LABEL takes key=value pairs");
                        }
                        labels.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                default -> throw BerthException.invalidField("changes", change, ALLOWED);
            }
        }
    }

    private static JsonNode command(String args, String change) {
        if (args.startsWith("[")) {
            try {
                JsonNode parsed = ImageJson.mapper().readTree(args);
                if (parsed.isArray() && allStrings(parsed)) {
                    return parsed;
                }
            } catch (IOException e) {
                // Not JSON: Docker then treats the line as shell form; so do we, below.
            }
        }
        ArrayNode shell = ImageJson.mapper().createArrayNode();
        return shell.add("/bin/sh").add("-c").add(args);
    }

    private static boolean allStrings(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static void env(ObjectNode config, String args, String change) {
        List<String> values = new ArrayList<>();
        List<String> words = words(args, change);
        if (!words.getFirst().contains("=")) {
            // Legacy form: ENV key value with spaces
            int space = args.indexOf(' ');
            if (space < 0) {
                throw BerthException.invalidField("changes", change, "ENV takes key=value pairs or 'key value'");
            }
            values.add(args.substring(0, space) + "=" + args.substring(space + 1).strip());
        } else {
            for (String word : words) {
                if (word.indexOf('=') <= 0) {
                    throw BerthException.invalidField("changes", change, "ENV takes key=value pairs");
                }
                values.add(word);
            }
        }
        ArrayNode env = config.withArray("Env");
        for (String value : values) {
            String key = value.substring(0, value.indexOf('=') + 1);
            for (int i = env.size() - 1; i >= 0; i--) {
                if (env.get(i).asText().startsWith(key)) {
                    env.remove(i);
                }
            }
            env.add(value);
        }
    }

    /** Splits on unquoted whitespace; double quotes group, backslash escapes. */
    private static List<String> words(String args, String change) {
        var out = new ArrayList<String>();
        var word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '\\' && i + 1 < args.length()) {
                word.append(args.charAt(++i));
                any = true;
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw BerthException.invalidField("changes", change, "a double quote is not closed");
        }
        if (any) {
            out.add(word.toString());
        }
        if (out.isEmpty()) {
            throw BerthException.invalidField("changes", change, ALLOWED);
        }
        return out;
    }
}
