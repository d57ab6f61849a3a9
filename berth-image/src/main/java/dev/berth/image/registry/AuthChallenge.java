package dev.berth.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header, e.g.
 * {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"}.
 * Parameter names are lower-cased; quoted values may contain commas.
 */
record AuthChallenge(String scheme, Map<String, String> params) {
    AuthChallenge {
        params = Map.copyOf(params);
    }

    boolean isBearer() {
        return scheme.equalsIgnoreCase("bearer");
    }

    boolean isBasic() {
        return scheme.equalsIgnoreCase("basic");
    }

    String param(String name) {
        return params.get(name);
    }

    /** Parses every challenge in the header values; unparseable parts are skipped. */
    static List<AuthChallenge> parseAll(List<String> headerValues) {
        var out = new ArrayList<AuthChallenge>();
        for (String value : headerValues) {
            out.addAll(parse(value));
        }
        return out;
    }

    static List<AuthChallenge> parse(String header) {
        var out = new ArrayList<AuthChallenge>();
        var lexer = new Lexer(header);
        String scheme = lexer.token();
        while (scheme != null) {
            var params = new LinkedHashMap<String, String>();
            String next = null;
            while (true) {
                lexer.skipSeparators();
                String name = lexer.token();
                if (name == null) {
                    break;
                }
                if (!lexer.consume('=')) {
                    next = name; // a token not followed by '=' starts the next challenge
                    break;
                }
                params.put(name.toLowerCase(Locale.ROOT), lexer.value());
            }
            out.add(new AuthChallenge(scheme, params));
            scheme = next;
        }
        return out;
    }

    private static final class Lexer {
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s == null ? "" : s;
        }

        void skipSeparators() {
            while (i < s.length() && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
        }

        String token() {
            skipSeparators();
            int start = i;
            while (i < s.length() && "=, \t\"".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return i > start ? s.substring(start, i) : null;
        }

        boolean consume(char c) {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                while (i < s.length() && s.charAt(i) == ' ') {
                    i++;
                }
                return true;
            }
            return false;
        }

        String value() {
            if (i < s.length() && s.charAt(i) == '"') {
                var out = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    out.append(s.charAt(i++));
                }
                i++;
                return out.toString();
            }
            int start = i;
            while (i < s.length() && s.charAt(i) != ',' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }
    }
}
