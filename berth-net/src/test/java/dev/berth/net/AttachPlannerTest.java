package dev.berth.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.NetworkFabric.PortMapping;
import org.junit.jupiter.api.Test;

class AttachPlannerTest {
    @Test
    void portsAreNormalised() {
        assertThat(AttachPlanner.validate(new PortMapping("0.0.0.0", 0, 80, "TCP"))).isEqualTo(new PortMapping(null, 0, 80, "tcp"));
        assertThat(AttachPlanner.validate(new PortMapping(" 127.0.0.1 ", 8080, 80, null)))
                .isEqualTo(new PortMapping("127.0.0.1", 8080, 80, "tcp"));
    }

    @Test
    void portsNftCannotExpressAreRejectedNamingTheField() {
        assertInvalid(new PortMapping(null, 0, 80, "sctp"), "ports[].protocol");
        assertInvalid(new PortMapping(null, 0, 0, "tcp"), "ports[].containerPort");
        assertInvalid(new PortMapping(null, 70000, 80, "tcp"), "ports[].hostPort");
        assertInvalid(new PortMapping("example.com", 0, 80, "tcp"), "ports[].hostIp");
        assertInvalid(new PortMapping("1.2.3.4; flush ruleset", 0, 80, "tcp"), "ports[].hostIp");
    }

    private static void assertInvalid(PortMapping port, String field) {
        assertThatThrownBy(() -> AttachPlanner.validate(port)).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SPEC);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
