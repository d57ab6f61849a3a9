package dev.berth.net.nft;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.net.HostCommands;
import dev.berth.net.HostCommands.Result;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Applies a rendered script with {@code nft -f -} (one atomic transaction, text on stdin). */
public final class Nftables {
    private final HostCommands host;

    public Nftables(HostCommands host) {
        this.host = host;
    }

    public void apply(String script) {
        Result result = host.run(List.of("nft", "-f", "-"), script.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
        if (!result.ok()) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "cannot apply Berth's nftables rules: "
                    + result.stderr().strip() + "\n--- ruleset ---\n" + script);
        }
    }

    public boolean exists(String table) {
        return host.run(List.of("nft", "list", "table", "inet", table)).ok();
    }
}
