package dev.berth.cli;

import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.PullProgress;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How {@code berth image pull} shows progress. On a terminal: one line per layer (short digest,
 * state, bytes, rate), redrawn in place. Elsewhere: one line each time a layer's state changes,
 * never one per chunk. Both end with a summary line. Layers download concurrently, so events
 * arrive from several threads: every method is synchronized.
 */
final class PullProgressView implements Consumer<PullProgress> {
    private static final String UP = "\033[%dA";
    private static final String CLEAR_LINE = "\r\033[2K";
    /** Byte counts alone redraw at most this often; state changes redraw at once. */
    private static final long REDRAW_NANOS = 100_000_000L;
    /** Longer lines would wrap and break the cursor arithmetic on narrow terminals. */
    private static final int MAX_WIDTH = 79;

    private final PrintStream err;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long started;
    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private int drawnLines;
    private long lastDraw;

    PullProgressView(PrintStream err, boolean terminal, LongSupplier nanoClock) {
        this.err = err;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.started = nanoClock.getAsLong();
    }

    /** One layer's latest state; {@code name} is empty for image-wide messages (engine pulls). */
    private static final class Layer {
        final String name;
        String state = "";
        long current;
        long total;
        long firstBytes = -1;
        long downloadStarted;
        long lastDownload;

        Layer(String name) {
            this.name = name;
        }

        boolean cached() {
            return state.equalsIgnoreCase("cached") || state.equalsIgnoreCase("already exists");
        }

        /** MB/s over the download so far (a resumed prefix does not count as speed). */
        String rate() {
            double seconds = (lastDownload - downloadStarted) / 1e9;
            if (firstBytes < 0 || seconds <= 0 || current <= firstBytes) {
                return "";
            }
            return String.format(Locale.ROOT, "%.1f MB/s", (current - firstBytes) / 1e6 / seconds);
        }
    }

    @Override
    public synchronized void accept(PullProgress p) {
        long now = nanoClock.getAsLong();
        Layer layer = layers.computeIfAbsent(p.layer() == null ? "" : Formats.shortId(p.layer()), Layer::new);
        String state = p.status() == null ? "" : p.status();
        boolean changed = !state.equals(layer.state);
        layer.state = state;
        layer.current = p.currentBytes();
        layer.total = Math.max(layer.total, p.totalBytes());
        if (state.equalsIgnoreCase("downloading")) {
            if (layer.firstBytes < 0) {
                layer.firstBytes = p.currentBytes();
                layer.downloadStarted = now;
            }
            layer.lastDownload = now;
        }
        if (terminal) {
            if (changed || now - lastDraw >= REDRAW_NANOS) {
                redraw(now);
            }
        } else if (changed) {
            err.println(layer.name.isEmpty() ? state : plainLine(layer));
        }
    }

    /** Draws the layers' final state and the summary line. */
    synchronized void finish(ImageInfo image) {
        long now = nanoClock.getAsLong();
        if (terminal && !layers.isEmpty()) {
            redraw(now);
        }
        long total = 0;
        long downloaded = 0;
        int count = 0;
        int cached = 0;
        for (Layer layer : layers.values()) {
            if (!layer.name.isEmpty()) {
                count++;
                total += layer.total;
                if (layer.cached()) {
                    cached++;
                } else {
                    downloaded += layer.total;
                }
            }
        }
        err.println(String.format(Locale.ROOT, "pulled %s: %d %s, %s (%s downloaded, %d cached) in %.1fs", image.id(),
                count, count == 1 ? "layer" : "layers", Formats.bytes(total), Formats.bytes(downloaded), cached,
                (now - started) / 1e9));
    }

    private void redraw(long now) {
        var frame = new StringBuilder();
        if (drawnLines > 0) {
            frame.append(String.format(Locale.ROOT, UP, drawnLines));
        }
        for (Layer layer : layers.values()) {
            String line = layer.name.isEmpty() ? layer.state : terminalLine(layer);
            frame.append(CLEAR_LINE).append(line.length() > MAX_WIDTH ? line.substring(0, MAX_WIDTH) : line).append('\n');
        }
        drawnLines = layers.size();
        lastDraw = now;
        err.print(frame);
        err.flush();
    }

    private static String terminalLine(Layer layer) {
        return String.format(Locale.ROOT, "%-12s  %-12s  %21s  %s", layer.name, layer.state, bytes(layer), layer.rate())
                .stripTrailing();
    }

    /** Name, state and size; a finished download adds its rate. */
    private static String plainLine(Layer layer) {
        String size = layer.total > 0 ? " " + Formats.bytes(layer.total) : "";
        String rate = layer.state.equalsIgnoreCase("done") ? layer.rate() : "";
        return layer.name + " " + layer.state + size + (rate.isEmpty() ? "" : " " + rate);
    }

    /** "done/total"; for a layer already stored just its size; nothing while sizes are unknown. */
    private static String bytes(Layer layer) {
        if (layer.cached()) {
            return layer.total > 0 ? Formats.bytes(layer.total) : "";
        }
        if (layer.total <= 0) {
            return layer.current > 0 ? Formats.bytes(layer.current) : "";
        }
        return Formats.bytes(layer.current) + " / " + Formats.bytes(layer.total);
    }
}
