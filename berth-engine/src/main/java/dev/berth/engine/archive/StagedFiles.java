package dev.berth.engine.archive;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spec.FileCopy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The spec's {@code files} archives, validated and normalised into temporary tars before any
 * backend resource exists, so a bad archive fails the create with nothing to clean up.
 */
public final class StagedFiles implements AutoCloseable {
    private final List<Path> tars = new ArrayList<>();

    private StagedFiles() {
    }

    public static StagedFiles stage(List<FileCopy> files, Path tmpDir) {
        var staged = new StagedFiles();
        try {
            Files.createDirectories(tmpDir);
            for (int i = 0; i < files.size(); i++) {
                FileCopy f = files.get(i);
                Path tar = Files.createTempFile(tmpDir, "files-", ".tar");
                staged.tars.add(tar);
                try (OutputStream out = Files.newOutputStream(tar)) {
                    SafeTar.normalise("files[" + i + "].archive", Path.of(f.archive()), f.path(), out);
                }
            }
            return staged;
        } catch (IOException e) {
            staged.close();
            throw new BerthException(ErrorCode.INTERNAL, "cannot stage files in " + tmpDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    /** The normalised tars, each to be extracted at the workload's root "/". */
    public List<Path> tars() {
        return List.copyOf(tars);
    }

    @Override
    public void close() {
        for (Path t : tars) {
            try {
                Files.deleteIfExists(t);
            } catch (IOException ignored) {
                // A leftover temp tar in the data dir's tmp is harmless; the next start clears tmp.
            }
        }
    }
}
