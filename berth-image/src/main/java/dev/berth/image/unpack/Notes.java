package dev.berth.image.unpack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Things a layer asked for that this host could not do, counted per kind with a few examples, so
 * a layer with ten thousand unowned files yields one line, not ten thousand.
 */
final class Notes {
    private static final int EXAMPLES = 3;

    private final Map<String, Tally> byKind = new LinkedHashMap<>();

    void add(String kind, String example) {
        Tally tally = byKind.computeIfAbsent(kind, k -> new Tally());
        tally.count++;
        if (tally.examples.size() < EXAMPLES) {
            tally.examples.add(example);
        }
    }

    List<String> render() {
        var lines = new ArrayList<String>();
        byKind.forEach((kind, tally) -> lines.add(kind + ": " + tally.count + " (e.g. " + String.join(", ", tally.examples)
                + (tally.count > tally.examples.size() ? ", ..." : "") + ")"));
        return lines;
    }

    private static final class Tally {
        private long count;
        private final List<String> examples = new ArrayList<>(EXAMPLES);
    }
}
