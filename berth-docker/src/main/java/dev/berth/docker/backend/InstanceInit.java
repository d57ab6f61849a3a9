package dev.berth.docker.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.spec.WorkloadSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The fixed init wrapper behind {@code userData} and {@code keepAlive}: the container runs
 * {@code /bin/sh -c SCRIPT berth-init ARGV...}, where SCRIPT is a constant of this class and ARGV
 * is the workload's real argv as Docker would compute it. User data never enters argv, env or a
 * shell string: it is copied into the container as the file {@link #USER_DATA_PATH}, and the
 * script only ever names that path.
 */
final class InstanceInit {
    static final String USER_DATA_PATH = "/berth/user-data";
    static final String SHELL = "/bin/sh";

    /** Starts the user data in the background (output to the container's), then becomes the argv. */
    static final String RUN = """
            if [ -f /berth/user-data ]; then /berth/user-data & fi
            if [ $# -gt 0 ]; then exec "$@"; fi
            wait""";

    /**
     * As {@link #RUN}, but the shell stays PID 1 and outlives the argv. TERM (stop) is forwarded to
     * a still-running argv and ends the container at once: PID 1 gets no default signal handling.
     */
    static final String KEEP_ALIVE = """
            if [ -f /berth/user-data ]; then /berth/user-data & fi
            child=
            trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child"; fi; exit 0' TERM INT
            if [ $# -gt 0 ]; then "$@" & child=$!; wait "$child"; child=; fi
            while :; do sleep 3600 & wait $!; done""";

    private InstanceInit() {
    }

    static boolean wanted(WorkloadSpec spec) {
        return spec.userData() != null || spec.keepAlive();
    }

    /** The wrapper's ENTRYPOINT; the real argv follows as CMD and arrives as "$@". */
    static List<String> entrypoint(WorkloadSpec spec) {
        return List.of(SHELL, "-c", spec.keepAlive() ? KEEP_ALIVE : RUN, "berth-init");
    }

    /**
     * Docker's ENTRYPOINT/CMD rule, applied here because the wrapper takes the ENTRYPOINT slot: a
     * spec command replaces the image ENTRYPOINT and drops the image CMD; spec args replace CMD.
     */
    static List<String> argv(WorkloadSpec spec, JsonNode imageConfig) {
        var out = new ArrayList<String>(spec.command() != null ? spec.command() : strings(imageConfig.path("Entrypoint")));
        if (spec.args() != null) {
            out.addAll(spec.args());
        } else if (spec.command() == null) {
            out.addAll(strings(imageConfig.path("Cmd")));
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * A tar holding {@code berth/user-data}, to extract at {@code /}. Owned by a numeric spec user
     * with mode 0700; a user given by name cannot be resolved here, so the file is then 0755.
     */
    static byte[] userDataTar(WorkloadSpec spec) {
        byte[] data = spec.userData().getBytes(StandardCharsets.UTF_8);
        String user = spec.user() == null ? "0" : spec.user();
        String[] ids = user.split(":", 2);
        boolean numeric = ids[0].matches("\\d+") && (ids.length == 1 || ids[1].matches("\\d+"));
        var bytes = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(bytes)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX); // uids above 2097151
            var dir = new TarArchiveEntry("berth/");
            dir.setMode(040755);
            tar.putArchiveEntry(dir);
            tar.closeArchiveEntry();
            var file = new TarArchiveEntry("berth/user-data");
            file.setMode(numeric ? 0100700 : 0100755);
            if (numeric) {
                file.setUserId(Long.parseLong(ids[0]));
                file.setGroupId(ids.length == 2 ? Long.parseLong(ids[1]) : Long.parseLong(ids[0]));
            }
            file.setSize(data.length);
            tar.putArchiveEntry(file);
            tar.write(data);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("building the user-data archive in memory", e);
        }
        return bytes.toByteArray();
    }
}
