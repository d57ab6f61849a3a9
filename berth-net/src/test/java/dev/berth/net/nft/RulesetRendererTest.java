package dev.berth.net.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.net.LocalHostCommands;
import dev.berth.net.NetworkFabric.BridgeNetwork;
import dev.berth.net.NetworkFabric.PortMapping;
import dev.berth.net.state.EndpointRecord;
import dev.berth.net.state.WorkloadRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesetRendererTest {
    static final BridgeNetwork OPEN = new BridgeNetwork("open", "brth-aaaaaaaaaa", "10.213.0.0/24", "10.213.0.1", false, "o");
    static final BridgeNetwork CLOSED = new BridgeNetwork("closed", "brth-bbbbbbbbbb", "10.213.1.0/24", "10.213.1.1", true, "o");
    static final WorkloadRecord WEB = new WorkloadRecord("web", "berth-x", "web", List.of(),
            List.of(new EndpointRecord("open", "vbr000000000001", "eth0", "10.213.0.2", 24, "10.213.0.1", "02:b7:0a:d5:00:02")),
            List.of(new PortMapping(null, 40000, 80, "tcp"), new PortMapping("127.0.0.1", 40001, 53, "udp")), true);

    @Test
    void withoutNetworksTheTableIsOnlyDeleted() {
        assertThat(RulesetRenderer.render("berth-1", List.of(), List.of()))
                .isEqualTo("table inet berth-1\ndelete table inet berth-1\n");
    }

    @Test
    void normalNetworkMasqueradesEgressAndAcceptsOnlyPublishedInbound() {
        String script = RulesetRenderer.render("berth-1", List.of(OPEN), List.of(WEB));

        assertThat(script).contains("oifname != \"brth-aaaaaaaaaa\" ip saddr 10.213.0.0/24 masquerade")
                .contains("oifname \"brth-aaaaaaaaaa\" ct status dnat accept")
                .contains("oifname \"brth-aaaaaaaaaa\" reject with icmpx admin-prohibited")
                .contains("iifname \"brth-aaaaaaaaaa\" accept")
                .contains("meta nfproto ipv4 fib daddr type local tcp dport 40000 dnat ip to 10.213.0.2:80")
                .contains("ip daddr 127.0.0.1 udp dport 40001 dnat ip to 10.213.0.2:53")
                .contains("oifname \"brth-aaaaaaaaaa\" ip saddr 127.0.0.0/8 masquerade");
    }

    @Test
    void internalNetworkHasNoMasqueradeNoForwardingAndNoAccessToTheHost() {
        String script = RulesetRenderer.render("berth-1", List.of(CLOSED), List.of());

        assertThat(script).doesNotContain("ip saddr 10.213.1.0/24 masquerade")
                .contains("iifname \"brth-bbbbbbbbbb\" reject with icmpx admin-prohibited")
                .contains("iifname \"brth-bbbbbbbbbb\" ct state established,related accept");
        assertThat(script.substring(script.indexOf("chain input"))).contains("iifname \"brth-bbbbbbbbbb\" reject");
    }

    @Test
    void renderedScriptIsValidNftables() {
        assumeTrue("root".equals(System.getProperty("user.name")), "nft -c needs root");
        String script = RulesetRenderer.render("berth-rendertest", List.of(OPEN, CLOSED), List.of(WEB));
        var result = new LocalHostCommands().run(List.of("nft", "-c", "-f", "-"), script.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(10));
        assertThat(result.ok()).as(result.stderr()).isTrue();
    }
}
