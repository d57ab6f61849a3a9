package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.NetworkSpec;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.engine.Engine;
import dev.berth.net.BridgeFabric;
import dev.berth.net.LocalHostCommands;
import dev.berth.net.NetworkFabric;
import dev.berth.testkit.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing survives a workload: after many create/start/remove cycles no runtime container,
 * network namespace, veth, mount, bundle or address is left, on the default network and on a
 * named one. Also prints the median create+start latency. Workloads created at the same time on
 * one network all name each other in /etc/hosts (each is written while its network is reserved
 * and rendered again once it is plugged in).
 */
@Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OciCyclesTest {
    private static final int CYCLES = 100;

    @TempDir
    Path dataDir;

    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private Engine engine;

    @BeforeEach
    void open() {
        engine = Engine.builder().dataDir(dataDir).provider(OciBackendProvider.oci()).defaultBackend(OciBackendProvider.NAME).build();
        TestImages.ensureImported(engine, OciBackendProvider.NAME);
    }

    @Test
    void hundredCreateRemoveCyclesLeaveNothingBehind() throws IOException {
        String net = "cy-" + runId + "-net";
        engine.createNetwork(null, new NetworkSpec(net, false, null));
        var latencies = new ArrayList<Long>();
        for (int i = 0; i < CYCLES; i++) {
            var spec = WorkloadSpec.builder("cy-" + runId + "-" + i, TestImages.BUSYBOX).command("sleep", "1000");
            if (i % 2 == 1) {
                spec.network(net);
            }
            long start = System.nanoTime();
            engine.run(spec.build());
            latencies.add((System.nanoTime() - start) / 1_000_000);
            assertThat(engine.remove(spec.build().name(), true)).isTrue();
        }
        assertThat(engine.removeNetwork(net)).isTrue();

        latencies.sort(null);
        System.out.printf("oci/runc create+start over %d cycles: median %d ms, p90 %d ms%n", CYCLES,
                latencies.get(CYCLES / 2), latencies.get(CYCLES * 9 / 10));
        assertNothingLeft();
    }

    @Test
    void workloadsCreatedTogetherOnOneNetworkEachNameAllTheOthersAndAFailedCreateLeavesNothing() throws Exception {
        String net = "cy-" + runId + "-peers";
        engine.createNetwork(null, new NetworkSpec(net, false, null));
        var names = new ArrayList<String>();
        for (int i = 0; i < 4; i++) {
            names.add("cy-" + runId + "-p" + i);
        }
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var runs = names.stream().map(n -> pool.submit(() -> engine.run(
                    WorkloadSpec.builder(n, TestImages.BUSYBOX).network(net).command("sleep", "1000").build()))).toList();
            for (var run : runs) {
                run.get();
            }
        }
        for (String name : names) {
            String hosts = engine.exec(name, dev.berth.api.model.ExecRequest.of("cat", "/etc/hosts")).stdout();
            for (String other : names) {
                assertThat(hosts).as("/etc/hosts of %s names %s", name, other).contains(other);
            }
        }
        String bad = "cy-" + runId + "-nouser";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.run(WorkloadSpec.builder(bad, TestImages.BUSYBOX)
                .network(net).user("nosuch").command("true").build())).isInstanceOf(dev.berth.api.error.BerthException.class)
                .hasMessageContaining("nosuch");

        for (String name : names) {
            assertThat(engine.remove(name, true)).isTrue();
        }
        assertThat(engine.removeNetwork(net)).isTrue();
        assertNothingLeft();
    }

    private void assertNothingLeft() throws IOException {
        Path root = dataDir.resolve("oci");
        var runc = new LocalHostCommands().run(List.of("runc", "--root=" + root.resolve("state/runc"), "list", "-q"));
        assertThat(runc.stdout().strip()).as("runc containers").isEmpty();
        try (var bundles = Files.list(root.resolve("bundles"))) {
            assertThat(bundles.toList()).as("bundles").isEmpty();
        }
        try (var links = Files.list(root.resolve("sock"))) {
            assertThat(links.toList()).as("conmon socket links").isEmpty();
        }
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
        assertThat(mounts).as("mounts under the data dir").doesNotContain(dataDir.toString());
        try (NetworkFabric fabric = BridgeFabric.open(dataDir.resolve("net"), new LocalHostCommands())) {
            assertThat(fabric.orphans()).as("netns, veths and rules no record explains").isEmpty();
            assertThat(fabric.networks()).as("networks (and their address pools)").isEmpty();
            String prefix = ((BridgeFabric) fabric).names().netnsPrefix();
            var netns = new LocalHostCommands().run(List.of("ip", "netns", "list")).stdout();
            assertThat(netns.lines().filter(l -> l.startsWith(prefix)).toList()).as("network namespaces").isEmpty();
        }
    }

    @AfterEach
    void close() {
        try {
            for (var w : engine.list(true)) {
                engine.remove(w.name(), true);
            }
            for (var n : engine.listNetworks()) {
                engine.removeNetwork(n.name());
            }
        } finally {
            engine.close();
        }
    }
}
