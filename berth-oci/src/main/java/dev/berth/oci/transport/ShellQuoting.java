package dev.berth.oci.transport;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Encodes argv elements as POSIX shell words, for the transports whose remote side parses the
 * command through a shell (ssh always does; wsl does through our constant evaluator).
 *
 * <p>Each element becomes a single-quoted word ({@code '} itself as {@code '\''}), which a
 * POSIX shell takes literally: no expansion, globbing, splitting or escape processing. The
 * output is ASCII only: a run of non-ASCII characters becomes {@code "$(printf '\ooo...')"},
 * the octal UTF-8 bytes, because the JVM converts a process's arguments with its platform
 * encoding ({@code sun.jnu.encoding}), which turns every non-ASCII character into {@code ?}
 * under a C/POSIX locale. NUL cannot be carried by any argv and is rejected.
 */
public final class ShellQuoting {
    private ShellQuoting() {
    }

    /** The whole argv as one shell command line: each element quoted, separated by spaces. */
    public static String command(List<String> argv) {
        if (argv.isEmpty()) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "argv: empty; a program to run is required");
        }
        return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }

    /** One shell word that expands to exactly {@code arg}'s UTF-8 bytes. */
    public static String quote(String arg) {
        var word = new StringBuilder(arg.length() + 2);
        boolean quoted = false;
        int i = 0;
        while (i < arg.length()) {
            char c = arg.charAt(i);
            if (c == 0) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                        "argv: element contains NUL, which no program argument can carry: " + printable(arg));
            }
            if (c < 0x80) {
                if (!quoted) {
                    word.append('\'');
                    quoted = true;
                }
                word.append(c == '\'' ? "'\\''" : String.valueOf(c));
                i++;
            } else {
                if (quoted) {
                    word.append('\'');
                    quoted = false;
                }
                int end = i;
                while (end < arg.length() && arg.charAt(end) >= 0x80) {
                    end++;
                }
                word.append(printfBytes(arg.substring(i, end), arg));
                i = end;
            }
        }
        if (quoted) {
            word.append('\'');
        }
        return word.isEmpty() ? "''" : word.toString();
    }

    /**
     * {@code "$(printf '\303\251')"}: the command substitution only strips trailing newlines,
     * and a non-ASCII UTF-8 byte is never one.
     */
    private static String printfBytes(String run, String arg) {
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < run.length() && Character.isLowSurrogate(run.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new BerthException(ErrorCode.INVALID_ARGUMENT,
                        "argv: element is not valid Unicode (unpaired surrogate): " + printable(arg));
            }
        }
        var out = new StringBuilder("\"$(printf '");
        for (byte b : run.getBytes(StandardCharsets.UTF_8)) {
            out.append('\\').append(Integer.toOctalString(b & 0xff));
        }
        return out.append("')\"").toString();
    }

    private static String printable(String arg) {
        return "'" + arg.replace("\0", "\\0") + "'";
    }
}
