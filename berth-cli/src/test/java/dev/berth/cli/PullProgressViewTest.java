package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.ImageInfo;
import dev.berth.api.model.PullProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PullProgressViewTest {
    private static final String A = "sha256:aaaaaaaaaaaa1111";
    private static final String B = "sha256:bbbbbbbbbbbb2222";
    private static final long MB = 1_000_000;
    private static final ImageInfo IMAGE = new ImageInfo("sha256:cafe", List.of("busybox"), 0, null);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong();

    private PullProgressView view(boolean terminal) {
        return new PullProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal, clock::get);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Layer A downloads 4 MB in 2 s in 512 KiB chunks; layer B is already stored. */
    private void pull(PullProgressView view) {
        view.accept(new PullProgress("busybox", A, "waiting", 0, 4 * MB));
        view.accept(new PullProgress("busybox", B, "cached", 1 * MB, 1 * MB));
        view.accept(new PullProgress("busybox", A, "downloading", 0, 4 * MB));
        for (long done = 524_288; done < 4 * MB; done += 524_288) {
            clock.addAndGet(250_000_000);
            view.accept(new PullProgress("busybox", A, "downloading", done, 4 * MB));
        }
        clock.addAndGet(250_000_000);
        view.accept(new PullProgress("busybox", A, "downloading", 4 * MB, 4 * MB));
        view.accept(new PullProgress("busybox", A, "verifying", 4 * MB, 4 * MB));
        clock.addAndGet(100_000_000);
        view.accept(new PullProgress("busybox", A, "done", 4 * MB, 4 * MB));
        view.finish(IMAGE);
    }

    @Test
    void plainOutputHasOneLinePerStateChangeNeverPerChunk() {
        pull(view(false));

        assertThat(output()).doesNotContain("\033");
        assertThat(output().lines().toList()).containsExactly(
                "aaaaaaaaaaaa waiting 3.8MiB",
                "bbbbbbbbbbbb cached 976.6KiB",
                "aaaaaaaaaaaa downloading 3.8MiB",
                "aaaaaaaaaaaa verifying 3.8MiB",
                "aaaaaaaaaaaa done 3.8MiB 2.0 MB/s",
                "pulled sha256:cafe: 2 layers, 4.8MiB (3.8MiB downloaded, 1 cached) in 2.1s");
    }

    @Test
    void terminalOutputKeepsOneLinePerLayerPlusTheSummary() {
        pull(view(true));

        List<String> screen = screen(output());
        assertThat(screen).hasSize(3);
        assertThat(screen.get(0)).startsWith("aaaaaaaaaaaa").contains("done", "3.8MiB / 3.8MiB", "2.0 MB/s");
        assertThat(screen.get(1)).startsWith("bbbbbbbbbbbb").contains("cached", "976.6KiB");
        assertThat(screen.get(2)).isEqualTo("pulled sha256:cafe: 2 layers, 4.8MiB (3.8MiB downloaded, 1 cached) in 2.1s");
        assertThat(output()).contains("\033[2A");
    }

    @Test
    void terminalShowsTheRateWhileDownloadingAndRedrawsByteCountsAtMostTenTimesASecond() {
        var view = view(true);
        view.accept(new PullProgress("busybox", A, "downloading", 0, 4 * MB));
        for (int i = 1; i <= 50; i++) {
            clock.addAndGet(10_000_000);
            view.accept(new PullProgress("busybox", A, "downloading", i * 20_000L, 4 * MB));
        }
        List<String> screen = screen(output());
        assertThat(screen).singleElement().asString().contains("downloading", "2.0 MB/s");
        int frames = output().split("\033\\[2K", -1).length - 1;
        assertThat(frames).isBetween(5, 7);
    }

    @Test
    void eventsFromSeveralThreadsGiveWholeLines() throws Exception {
        var view = view(false);
        var threads = new ArrayList<Thread>();
        for (int t = 0; t < 8; t++) {
            String layer = "sha256:" + String.valueOf((char) ('a' + t)).repeat(12);
            threads.add(Thread.ofVirtual().start(() -> {
                for (String state : List.of("waiting", "downloading", "verifying", "done")) {
                    for (int i = 0; i < 50; i++) {
                        view.accept(new PullProgress("busybox", layer, state, i, 100));
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(output().lines().toList()).hasSize(32).allMatch(line -> line.matches("[a-h]{12} \\w+ 100B"));
    }

    /** What a terminal shows after {@code output}: applies CR, LF, cursor-up and erase-line. */
    private static List<String> screen(String output) {
        var lines = new ArrayList<StringBuilder>();
        lines.add(new StringBuilder());
        int row = 0;
        Matcher escape = Pattern.compile("\033\\[(\\d*)([AK])").matcher(output);
        int i = 0;
        while (i < output.length()) {
            char c = output.charAt(i);
            if (c == '\033' && escape.find(i) && escape.start() == i) {
                if (escape.group(2).equals("A")) {
                    row = Math.max(0, row - Integer.parseInt(escape.group(1)));
                } else {
                    lines.get(row).setLength(0);
                }
                i = escape.end();
                continue;
            }
            if (c == '\n') {
                row++;
                if (row == lines.size()) {
                    lines.add(new StringBuilder());
                }
            } else if (c != '\r') {
                lines.get(row).append(c);
            }
            i++;
        }
        return lines.stream().map(StringBuilder::toString).filter(line -> !line.isEmpty()).toList();
    }
}
