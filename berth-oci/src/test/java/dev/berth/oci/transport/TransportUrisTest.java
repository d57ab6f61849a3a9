package dev.berth.oci.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransportUrisTest {
    @Test
    void localAndWslParse() {
        assertThat(TransportUris.parse("local")).isEqualTo(new TransportUris.Local());
        assertThat(TransportUris.parse("wsl://Ubuntu-22.04")).isEqualTo(new TransportUris.Wsl("Ubuntu-22.04"));
    }

    @Test
    void sshWithAllParameters() {
        var parsed = TransportUris.parse(
                "ssh://root@127.0.0.1:2222?identity=/var/lib/berth-test/ssh/id_ed25519&knownHosts=/keys/known%20hosts+1&multiplex=false");
        assertThat(parsed).isEqualTo(new TransportUris.Ssh(new SshTarget("root", "127.0.0.1", 2222,
                Path.of("/var/lib/berth-test/ssh/id_ed25519"), Path.of("/keys/known hosts+1"), false)));
    }

    @Test
    void sshDefaultsToPort22WithSshsOwnKeysAndMultiplexing() {
        var ssh = (TransportUris.Ssh) TransportUris.parse("ssh://deploy@build-host.example");
        assertThat(ssh.target()).isEqualTo(SshTarget.of("deploy", "build-host.example", 22));
        assertThat(ssh.target().multiplex()).isTrue();
        assertThat(ssh.target().address()).isEqualTo("deploy@build-host.example:22");
    }

    @Test
    void sshAcceptsBracketedIpv6() {
        var ssh = (TransportUris.Ssh) TransportUris.parse("ssh://root@[::1]:2222");
        assertThat(ssh.target().host()).isEqualTo("::1");
        assertThat(ssh.target().address()).isEqualTo("root@[::1]:2222");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "docker", "ssh:root@host", "ssh://host", "ssh://root@host/path", "ssh://root@host#frag",
            "ssh://root@host?user=x", "ssh://root@host?identity=relative/key", "ssh://root@host?identity=",
            "ssh://root@host?multiplex=yes", "ssh://root@host?identity=/a&identity=/b", "ssh://-oProxyCommand=x@host",
            "ssh://root@-oProxyCommand=x", "ssh://root@host:0", "ssh://root@host:70000", "ssh://root@ho st", "wsl://",
            "wsl://-d", "wsl://Ubuntu/x", "wsl://Ub untu"})
    void invalidValuesNameTheSettingAndTheAllowedForms(String value) {
        assertThatThrownBy(() -> TransportUris.parse(value))
                .isInstanceOf(BerthException.class)
                .hasMessageStartingWith("transport: ")
                .hasMessageContaining("ssh://USER@HOST")
                .satisfies(e -> {
                    assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(((BerthException) e).field()).isEqualTo("transport");
                });
    }
}
