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
            if (Files.exists(file)) {
                return read(file);
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[8];
            new SecureRandom().nextBytes(random);
            String fresh = "berth-" + HexFormat.of().formatHex(random);
            // Written aside, then hard-linked into place: the first process wins, and a racing one
            // never reads the file before its id is in it.
            Path tmp = dataDir.resolve(".owner-id.tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId());
            try {
                Files.writeString(tmp, fresh + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                Files.createLink(file, tmp);
                return fresh;
            } catch (FileAlreadyExistsException e) {
                return read(file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) throws IOException {
        // Latin-1 decodes any bytes, so garbage gets the message below rather than a decoder error.
        String id = Files.readString(file, StandardCharsets.ISO_8859_1).trim();
        if (!id.matches("[a-z0-9-]{4,64}")) {
            throw new BerthException(ErrorCode.INTERNAL, file + " holds an invalid owner id; restore it or remove it");
        }
        return id;
    }
}
