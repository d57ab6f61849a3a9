package dev.berth.net.state;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Eight random hex digits created once per data dir ({@code instance-id}) and mixed into every
 * host name, nftables table and iptables comment, so two data dirs on one host never claim each
 * other's objects. Call under the state lock: creation is check-then-write.
 */
public final class InstanceId {
    private InstanceId() {
    }

    public static String loadOrCreate(Path dir) {
        Path file = dir.resolve("instance-id");
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            byte[] bytes = new byte[4];
            new SecureRandom().nextBytes(bytes);
            String id = HexFormat.of().formatHex(bytes);
            try {
                Path tmp = dir.resolve(".instance-id.tmp-" + ProcessHandle.current().pid());
                Files.writeString(tmp, id + "\n", StandardCharsets.US_ASCII);
                Files.move(tmp, file);
                return id;
            } catch (IOException writeError) {
                throw failure(file, writeError);
            }
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    private static BerthException failure(Path file, IOException e) {
        return new BerthException(ErrorCode.INTERNAL, "cannot read or create " + file + ": " + e.getMessage(), e);
    }
}
