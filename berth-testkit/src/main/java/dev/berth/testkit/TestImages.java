package dev.berth.testkit;

import dev.berth.api.client.BerthClient;
import dev.berth.api.model.ImageInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The images the conformance kit runs, built on this machine (no registry outside it is
 * reachable): a rootfs with Debian's statically linked {@code /bin/busybox} (package
 * {@code busybox-static}), a symlink per applet in {@code /bin}, users root, berth (1000) and
 * nobody (65534), and empty {@code /tmp} (1777), {@code /root}, {@code /srv}. The tarball is
 * deterministic, so importing it twice gives the same layer.
 */
public final class TestImages {
    /** busybox with {@code CMD ["/bin/sh"]} and {@code PATH=/bin}; no entrypoint. */
    public static final String BUSYBOX = "berth-test/busybox:1";
    /** The same rootfs with {@code ENTRYPOINT ["/bin/echo","from-entrypoint"]} and {@code CMD ["default-cmd"]}. */
    public static final String ENTRYPOINT = "berth-test/entrypoint:1";

    static final Path BUSYBOX_BINARY = Path.of("/bin/busybox");
    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            berth:x:1000:1000:berth:/home/berth:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false
            """;
    static final String GROUP = """
            root:x:0:
            berth:x:1000:
            nogroup:x:65534:
            """;
    private static final List<String> BUSYBOX_CHANGES = List.of("CMD [\"/bin/sh\"]", "ENV PATH=/bin");
    private static final List<String> ENTRYPOINT_CHANGES = List.of(
            "ENTRYPOINT [\"/bin/echo\",\"from-entrypoint\"]", "CMD [\"default-cmd\"]", "ENV PATH=/bin");
    private static final long LIST_TIMEOUT_SECONDS = 10;
    private static final int PT_INTERP = 3;

    private TestImages() {
    }

    /** Imports both test images into {@code backend} unless it already lists their tags. */
    public static void ensureImported(BerthClient client, String backend) {
        List<ImageInfo> present = client.listImages(backend);
        byte[] rootfs = null;
        for (var image : List.of(BUSYBOX, ENTRYPOINT)) {
            if (isListed(present, image)) {
                continue;
            }
            if (rootfs == null) {
                rootfs = busyboxRootfs(BUSYBOX_BINARY);
            }
            var changes = image.equals(BUSYBOX) ? BUSYBOX_CHANGES : ENTRYPOINT_CHANGES;
            client.importImage(backend, new ByteArrayInputStream(rootfs), image, changes);
        }
    }

    /** Whether {@code tag} is among the images' tags; Podman prefixes local names with "localhost/". */
    static boolean isListed(List<ImageInfo> images, String tag) {
        return images.stream().flatMap(i -> i.tags().stream())
                .anyMatch(t -> t.equals(tag) || t.equals("localhost/" + tag) || t.equals("docker.io/" + tag));
    }

    /** The busybox rootfs as an uncompressed tarball. */
    public static byte[] busyboxRootfs() {
        return busyboxRootfs(BUSYBOX_BINARY);
    }

    static byte[] busyboxRootfs(Path busybox) {
        byte[] binary = readStaticBusybox(busybox);
        var bytes = new ByteArrayOutputStream(binary.length + 256 * 1024);
        var tar = new TarWriter(bytes);
        for (var dir : List.of("bin", "etc", "dev", "proc", "sys", "var", "home", "srv")) {
            tar.directory(dir, 0755, 0, 0);
        }
        tar.directory("tmp", 01777, 0, 0);
        tar.directory("root", 0700, 0, 0);
        tar.directory("home/berth", 0755, 1000, 1000);
        tar.file("bin/busybox", binary, 0755);
        for (String applet : applets(busybox)) {
            tar.symlink("bin/" + applet, "busybox");
        }
        tar.file("etc/passwd", PASSWD, 0644);
        tar.file("etc/group", GROUP, 0644);
        tar.finish();
        return bytes.toByteArray();
    }

    private static byte[] readStaticBusybox(Path busybox) {
        if (!Files.isRegularFile(busybox)) {
            throw new IllegalStateException(busybox + " is missing: the conformance kit's test image needs the"
                    + " statically linked busybox of Debian's package busybox-static (apt-get install busybox-static)");
        }
        byte[] binary;
        try {
            binary = Files.readAllBytes(busybox);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + busybox, e);
        }
        if (hasInterpreter(binary)) {
            throw new IllegalStateException(busybox + " is dynamically linked and would not run in a bare rootfs:"
                    + " install Debian's package busybox-static instead of busybox");
        }
        return binary;
    }

    /** Whether an ELF64 binary names a program interpreter, i.e. is dynamically linked. */
    static boolean hasInterpreter(byte[] elf) {
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2) {
            throw new IllegalStateException("busybox is not a 64-bit ELF executable");
        }
        var buf = ByteBuffer.wrap(elf).order(elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long phoff = buf.getLong(0x20);
        int phentsize = Short.toUnsignedInt(buf.getShort(0x36));
        int phnum = Short.toUnsignedInt(buf.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            if (at + 4 <= elf.length && buf.getInt((int) at) == PT_INTERP) {
                return true;
            }
        }
        return false;
    }

    /** Every applet busybox offers, from {@code busybox --list}, without "busybox" itself. */
    static List<String> applets(Path busybox) {
        Path output = null;
        try {
            // Output goes to a file so that a hanging busybox cannot block a reader past the bound.
            output = Files.createTempFile("berth-busybox-list", ".txt");
            var process = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(LIST_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(busybox + " --list did not finish within " + LIST_TIMEOUT_SECONDS + "s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(busybox + " --list failed (exit " + process.exitValue() + "): " + text);
            }
            var applets = new TreeSet<String>();
            for (String line : text.split("\n")) {
                String applet = line.strip();
                if (!applet.isEmpty() && !applet.equals("busybox") && !applet.contains("/")) {
                    applets.add(applet);
                }
            }
            return new ArrayList<>(applets);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + busybox + " --list", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing busybox applets", e);
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.getLogger(TestImages.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete temporary file " + file, e);
        }
    }
}
