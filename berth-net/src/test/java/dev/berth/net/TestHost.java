package dev.berth.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.HostCommands.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real host commands for tests: run, assert success, fetch over HTTP from inside a netns. */
final class TestHost {
    static final LocalHostCommands HOST = new LocalHostCommands();

    private TestHost() {
    }

    static Result run(String... argv) {
        return HOST.run(List.of(argv), null, Duration.ofSeconds(20));
    }

    static String ok(String... argv) {
        Result result = run(argv);
        assertThat(result.ok()).as("%s failed: %s", String.join(" ", argv), result.stderr()).isTrue();
        return result.stdout();
    }

    /**
     * {@code busybox wget} of {@code url} from {@code netns} (null = the host); the body, or null
     * when unreachable. Not {@code wget -T}: Debian's busybox 1.35 wget segfaults with it, so the
     * bound is the process timeout.
     */
    static String fetch(String netns, String url) {
        var argv = new ArrayList<String>();
        if (netns != null) {
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        argv.addAll(List.of("/bin/busybox", "wget", "-q", "-O", "-", url));
        try {
            Result result = HOST.run(argv, null, Duration.ofSeconds(3));
            return result.ok() ? result.stdout() : null;
        } catch (BerthException e) {
            if (e.code() == ErrorCode.TIMEOUT) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Waits, without sleeping, until something listens on tcp {@code port} in {@code netns} (null =
     * the host): each probe is an {@code ss} run, bounded by a deadline.
     */
    static void awaitListening(String netns, int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        var argv = new ArrayList<String>();
        if (netns != null) {
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        argv.addAll(List.of("ss", "-H", "-l", "-t", "-n", "sport = :" + port));
        while (System.nanoTime() < deadline) {
            if (!run(argv.toArray(String[]::new)).stdout().isBlank()) {
                return;
            }
        }
        throw new AssertionError("nothing listens on tcp port " + port + " in " + (netns == null ? "the host" : netns));
    }
}
