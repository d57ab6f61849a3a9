package dev.berth.cli;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Names for workloads started without {@code --name}: adjective-noun-4hex, always a valid DNS label. */
final class NameGenerator {
    private static final List<String> ADJECTIVES = List.of("amber", "bold", "brave", "bright", "calm", "clever",
            "cosy", "crisp", "deft", "eager", "fair", "gentle", "glad", "jolly", "keen", "lively", "lucid",
            "merry", "nimble", "proud", "quiet", "rapid", "sharp", "steady", "sunny", "swift", "tidy", "vivid",
            "warm", "witty");
    private static final List<String> NOUNS = List.of("anchor", "atoll", "bay", "buoy", "cape", "cove", "delta",
            "dock", "fjord", "gull", "harbor", "heron", "hull", "isle", "jetty", "keel", "lagoon", "marina",
            "mast", "otter", "pier", "puffin", "quay", "reef", "seal", "skiff", "sloop", "tide", "tug", "wharf");

    private NameGenerator() {
    }

    static String next() {
        var random = ThreadLocalRandom.current();
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size()))
                + "-" + HexFormat.of().toHexDigits((short) random.nextInt(1 << 16));
    }
}
