package dev.berth.net.nft;

import dev.berth.net.state.FabricState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keeps the instance's nftables table equal to its state. Replacing a table costs ~10 ms of
 * kernel commit time (hook and rule removal wait for an RCU grace period), so a state whose
 * script is the one last applied, and whose table still exists, is not applied again: attaching
 * or releasing a workload without published ports leaves the rules as they were.
 *
 * <p>The recorded digest always describes the live table or is null (unknown): before a change
 * is acted on, {@link #intend} clears it unless the change leaves the script as it is, so a crash
 * between recording and applying makes the next {@link #sync} apply.
 */
public final class Firewall {
    private final Nftables nft;
    private final String table;

    public Firewall(Nftables nft, String table) {
        this.nft = nft;
        this.table = table;
    }

    /** {@code recorded} as it may be written before moving the table to {@code target}'s rules. */
    public FabricState intend(FabricState recorded, FabricState target) {
        return digest(script(target)).equals(recorded.rulesetDigest()) ? recorded : recorded.withRulesetDigest(null);
    }

    /** Applies {@code state}'s rules if needed; returns the state carrying the applied script's digest. */
    public FabricState sync(FabricState state) {
        return sync(state, false);
    }

    /** As {@link #sync(FabricState)}; {@code trustTable}: the table was seen recently, do not look for it again. */
    public FabricState sync(FabricState state, boolean trustTable) {
        String script = script(state);
        String digest = digest(script);
        boolean current = digest.equals(state.rulesetDigest()) && (state.networks().isEmpty() || trustTable || nft.exists(table));
        if (!current) {
            nft.apply(script);
        }
        return state.withRulesetDigest(digest);
    }

    private String script(FabricState state) {
        return RulesetRenderer.render(table, state.networks().values(), state.workloads().values());
    }

    private static String digest(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
