package dev.berth.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The {@code --format} option of listing commands, and how a listing prints under it and {@code -q}. */
final class ListFormat {
    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    /**
     * Prints the items {@code list} returns: with {@code quiet} each one's {@code id} on a line of
     * its own, else {@code json} of them all or their {@code table}. A bad --format is reported
     * before anything is listed.
     */
    <T> void print(PrintStream out, boolean quiet, Supplier<List<T>> list, Function<T, String> id,
                   Function<List<T>, Object> json, Function<List<T>, Table> table) {
        boolean asJson = json(format);
        List<T> items = list.get();
        if (quiet) {
            items.forEach(item -> out.println(id.apply(item)));
        } else if (asJson) {
            JsonOutput.print(out, json.apply(items));
        } else {
            table.apply(items).print(out);
        }
    }

    /** True for json, false for table; anything else is a usage error naming the flag. */
    private static boolean json(String format) {
        return switch (format) {
            case "json" -> true;
            case "table" -> false;
            default -> throw Flags.invalid("--format", format, "allowed: table, json");
        };
    }
}
