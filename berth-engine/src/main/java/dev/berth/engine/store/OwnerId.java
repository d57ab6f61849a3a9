package dev.berth.engine.store;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The stable id this engine puts in the {@code dev.berth.owner} label: generated once per data
 * dir (not a PID, not a hostname), so two engines on one machine never reap each other.
 */
public final class OwnerId {
    private OwnerId() {
    }

    public static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("owner-id");
        try {
            Files.createDirectories(dataDir);
            byte[] random = new byte[8];
            new SecureRandom().nextBytes(random);
            String fresh = "berth-" + HexFormat.of().formatHex(random);
            try {
                Files.writeString(file, fresh + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                return fresh;
            } catch (FileAlreadyExistsException e) {
                String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (!id.matches("[a-z0-9-]{4,64}")) {
                    throw new BerthException(ErrorCode.INTERNAL, file + " holds an invalid owner id; restore it or remove it");
                }
                return id;
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }
}
