package dev.berth.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Paired timings of one scenario: Berth and its peer measured in the same round, order alternating. */
final class Sample {
    private final String scenario;
    private final String berthLabel;
    private final String peerLabel;
    private final List<Double> berth = new ArrayList<>();
    private final List<Double> peer = new ArrayList<>();

    Sample(String scenario, String berthLabel, String peerLabel) {
        this.scenario = scenario;
        this.berthLabel = berthLabel;
        this.peerLabel = peerLabel;
    }

    void add(double berthMillis, double peerMillis) {
        berth.add(berthMillis);
        peer.add(peerMillis);
    }

    static double median(List<Double> values) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The median of the per-round ratios: robust against drift of the machine during the run. */
    double pairedRatio() {
        var ratios = new ArrayList<Double>();
        for (int i = 0; i < berth.size(); i++) {
            ratios.add(berth.get(i) / peer.get(i));
        }
        return median(ratios);
    }

    String row(Double floor) {
        double ratio = pairedRatio();
        String verdict = floor == null ? "" : ratio <= floor ? "meets <= " + floor + "x" : "MISSES <= " + floor + "x";
        return String.format("| %s | %s %.1f ms | %s %.1f ms | %.3fx | %s |", scenario, berthLabel, median(berth),
                peerLabel, median(peer), ratio, verdict);
    }
}
