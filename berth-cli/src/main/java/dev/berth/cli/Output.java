package dev.berth.cli;

/** The {@code --format} choice shared by listing commands. */
final class Output {
    private Output() {
    }

    /** True for json, false for table; anything else is a usage error naming the flag. */
    static boolean json(String format) {
        return switch (format) {
            case "json" -> true;
            case "table" -> false;
            default -> throw Flags.invalid("--format", format, "allowed: table, json");
        };
    }
}
