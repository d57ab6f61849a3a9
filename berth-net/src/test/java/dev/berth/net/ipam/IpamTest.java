package dev.berth.net.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpamTest {
    @Test
    void cidrParsesNormalisesAndFormats() {
        assertThat(Ipv4Cidr.parse("10.213.7.9/24")).hasToString("10.213.7.0/24");
        assertThat(Ipv4Cidr.parse("192.0.2.2")).hasToString("192.0.2.2/32");
        assertThat(Ipv4Cidr.format(Ipv4Cidr.address("255.0.10.1"))).isEqualTo("255.0.10.1");
    }

    @Test
    void cidrRejectsWhatIsNotADottedQuad() {
        for (String bad : List.of("10.0.0", "10.0.0.256", "a.b.c.d", "10.0.0.1/33", "::1", "10.0.0.-1", "10.0.0.1/x", "010.0.0.1.1")) {
            assertThatThrownBy(() -> Ipv4Cidr.parse(bad)).as(bad).isInstanceOf(BerthException.class).hasMessageContaining(bad);
        }
    }

    @Test
    void overlapIsSymmetricAndPrefixAware() {
        var docker = Ipv4Cidr.parse("172.17.0.0/16");
        assertThat(docker.overlaps(Ipv4Cidr.parse("172.17.3.0/24"))).isTrue();
        assertThat(Ipv4Cidr.parse("172.17.3.0/24").overlaps(docker)).isTrue();
        assertThat(docker.overlaps(Ipv4Cidr.parse("172.18.0.0/24"))).isFalse();
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").overlaps(docker)).isTrue();
    }

    @Test
    void subnetPoolSkipsEverySubnetTheHostOrBerthAlreadyUses() {
        var taken = List.of(Ipv4Cidr.parse("10.213.0.0/24"), Ipv4Cidr.parse("10.213.1.5/32"), Ipv4Cidr.parse("10.213.2.0/23"));
        assertThat(SubnetPool.DEFAULT.next(taken)).contains(Ipv4Cidr.parse("10.213.4.0/24"));
        assertThat(SubnetPool.DEFAULT.next(List.of())).contains(Ipv4Cidr.parse("10.213.0.0/24"));
    }

    @Test
    void subnetPoolIsEmptyWhenARouteCoversAllOfIt() {
        assertThat(SubnetPool.DEFAULT.next(List.of(Ipv4Cidr.parse("10.0.0.0/8")))).isEmpty();
    }

    @Test
    void addressesStartAfterTheGatewayAndSkipUsedOnes() {
        var subnet = Ipv4Cidr.parse("10.213.5.0/24");
        assertThat(Ipv4Cidr.format(AddressPool.gateway(subnet))).isEqualTo("10.213.5.1");
        assertThat(AddressPool.allocate(subnet, List.of("10.213.5.2", "10.213.5.4")).map(Ipv4Cidr::format)).contains("10.213.5.3");
    }

    @Test
    void aFullSubnetHasNoAddressAndNeverHandsOutBroadcast() {
        var subnet = Ipv4Cidr.parse("10.213.5.0/30");
        assertThat(AddressPool.allocate(subnet, List.of())).map(Ipv4Cidr::format).contains("10.213.5.2");
        assertThat(AddressPool.allocate(subnet, List.of("10.213.5.2"))).isEmpty();
    }

    @Test
    void macEmbedsTheAddressSoAReusedAddressKeepsItsMac() {
        assertThat(AddressPool.macFor(Ipv4Cidr.address("10.213.0.2"))).isEqualTo("02:b7:0a:d5:00:02");
    }
}
