package dev.berth.image.unpack;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What Java cannot do itself on Linux: {@code mknod} (devices, fifos, overlay whiteouts) and
 * xattrs outside the {@code user.} namespace ({@code setfattr} from the attr package). Both run as
 * argv, never through a shell, from fixed system directories (not {@code $PATH}), bounded in time.
 */
final class HostTools {
    private static final List<String> SYSTEM_DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_OUTPUT = 4096;

    private final boolean root;
    private final long uid;
    private final long gid;
    private final Optional<Path> mknod;
    private final Optional<Path> setfattr;

    HostTools(boolean root, long uid, long gid, Optional<Path> mknod, Optional<Path> setfattr) {
        this.root = root;
        this.uid = uid;
        this.gid = gid;
        this.mknod = mknod;
        this.setfattr = setfattr;
    }

    static HostTools detect() {
        var unix = new UnixSystem();
        return new HostTools(unix.getUid() == 0, unix.getUid(), unix.getGid(), find("mknod"), find("setfattr"));
    }

    /** The same host seen as an unprivileged user: no owners, devices, trusted xattrs or overlay whiteouts. */
    HostTools unprivileged() {
        return new HostTools(false, uid == 0 ? 65534 : uid, gid == 0 ? 65534 : gid, mknod, setfattr);
    }

    private static Optional<Path> find(String name) {
        return SYSTEM_DIRS.stream().map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    boolean root() {
        return root;
    }

    long uid() {
        return uid;
    }

    long gid() {
        return gid;
    }

    boolean canSetXattrs() {
        return root && setfattr.isPresent();
    }

    /** {@code type} is {@code c}, {@code b} or {@code p} (fifo: major and minor ignored). */
    void mknod(Path path, char type, int mode, long major, long minor) throws IOException {
        Path tool = mknod.orElseThrow(() -> new IOException("mknod not found in " + SYSTEM_DIRS));
        var argv = new ArrayList<>(List.of(tool.toString(), "-m", Integer.toOctalString(mode & 07777), "--",
                path.toString(), String.valueOf(type)));
        if (type != 'p') {
            argv.add(Long.toString(major));
            argv.add(Long.toString(minor));
        }
        run(argv);
    }

    /** Sets one xattr on {@code path} itself, not on what a symlink there points to. */
    void setXattr(Path path, String name, byte[] value) throws IOException {
        Path tool = setfattr.orElseThrow(() -> new IOException("setfattr (package attr) not found in " + SYSTEM_DIRS));
        var argv = new ArrayList<>(List.of(tool.toString(), "-h", "-n", name));
        if (value.length > 0) {
            argv.add("-v");
            argv.add("0x" + HexFormat.of().formatHex(value));
        }
        argv.add("--");
        argv.add(path.toString());
        run(argv);
    }

    private static void run(List<String> argv) throws IOException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        var output = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> output[0] = readBounded(process.getInputStream()));
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IOException(Path.of(argv.getFirst()).getFileName() + " timed out after " + TIMEOUT_SECONDS + "s");
            }
            reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.getFirst(), e);
        }
        if (process.exitValue() != 0) {
            String text = output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8).strip();
            String firstLine = text.lines().findFirst().orElse("exit code " + process.exitValue());
            throw new IOException(firstLine);
        }
    }

    private static byte[] readBounded(InputStream in) {
        try (in) {
            byte[] head = in.readNBytes(MAX_OUTPUT);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return head;
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
