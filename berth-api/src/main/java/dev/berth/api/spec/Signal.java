package dev.berth.api.spec;

import dev.berth.api.error.BerthException;
import java.util.Locale;

/** A Linux signal, accepted by name (TERM, SIGTERM, sigterm) or number (15); canonical form SIGTERM. */
public record Signal(String name, int number) {
    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"
    };
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;
    private static final String ALLOWED = "allowed: a signal name such as SIGTERM, TERM, SIGKILL, SIGHUP,"
            + " SIGUSR1, SIGRTMIN+N, or a number from 1 to 64";

    public static final Signal SIGTERM = new Signal("SIGTERM", 15);
    public static final Signal SIGKILL = new Signal("SIGKILL", 9);

    public Signal {
        if (number < 1 || number > SIGRTMAX || nameOf(number) == null || !nameOf(number).equals(name)) {
            throw BerthException.invalidField("signal", name, ALLOWED);
        }
    }

    public static Signal parse(String value) {
        return parse("signal", value);
    }

    /** Parses {@code value}, naming {@code field} in the error when it is not a known signal. */
    public static Signal parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw BerthException.invalidField(field, value, ALLOWED);
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.chars().allMatch(Character::isDigit) && v.length() <= 3) {
            int n = Integer.parseInt(v);
            String name = n >= 1 && n <= SIGRTMAX ? nameOf(n) : null;
            if (name == null) {
                throw BerthException.invalidField(field, value, ALLOWED);
            }
            return new Signal(name, n);
        }
        String name = v.startsWith("SIG") ? v : "SIG" + v;
        for (int n = 1; n <= SIGRTMAX; n++) {
            if (name.equals(nameOf(n))) {
                return new Signal(name, n);
            }
        }
        if (name.equals("SIGIOT")) {
            return new Signal("SIGABRT", 6);
        }
        throw BerthException.invalidField(field, value, ALLOWED);
    }

    /** The canonical name for a signal number, or null when Linux defines none (32, 33). */
    public static String nameOf(int number) {
        if (number >= 1 && number < NAMES.length) {
            return NAMES[number];
        }
        if (number == SIGRTMIN) {
            return "SIGRTMIN";
        }
        if (number > SIGRTMIN && number <= SIGRTMAX) {
            return "SIGRTMIN+" + (number - SIGRTMIN);
        }
        return null;
    }

    @Override
    public String toString() {
        return name;
    }
}
