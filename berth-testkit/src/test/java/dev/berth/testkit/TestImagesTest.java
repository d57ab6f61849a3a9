package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestImagesTest {
    private static byte[] rootfs;
    private static Map<String, TarArchiveEntry> entries;
    private static Map<String, byte[]> contents;

    @BeforeAll
    static void readRootfs() throws IOException {
        rootfs = TestImages.busyboxRootfs();
        entries = new LinkedHashMap<>();
        contents = new LinkedHashMap<>();
        try (var tar = new TarArchiveInputStream(new ByteArrayInputStream(rootfs))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entries.put(entry.getName(), entry);
                contents.put(entry.getName(), tar.readAllBytes());
            }
        }
    }

    @Test
    void rootfsHoldsTheStaticBusyboxByteForByte() throws IOException {
        var busybox = entries.get("bin/busybox");

        assertThat(busybox.isFile()).isTrue();
        assertThat(busybox.getMode() & 07777).isEqualTo(0755);
        assertThat(contents.get("bin/busybox")).isEqualTo(Files.readAllBytes(Path.of("/bin/busybox")));
    }

    @Test
    void everyAppletTheSuitesUseIsASymlinkToBusybox() {
        for (String applet : new String[] {"sh", "sleep", "echo", "cat", "env", "pwd", "id", "ls", "nc", "httpd",
                "wget", "ps", "kill", "true", "false", "printf", "head", "tail", "wc", "grep", "ip", "ifconfig",
                "route", "hostname", "ping", "seq", "timeout", "touch", "tr"}) {
            var entry = entries.get("bin/" + applet);
            assertThat(entry).as("bin/%s", applet).isNotNull();
            assertThat(entry.isSymbolicLink()).as("bin/%s is a symlink", applet).isTrue();
            assertThat(entry.getLinkName()).isEqualTo("busybox");
        }
        assertThat(entries).doesNotContainKey("bin/bin/busybox");
    }

    @Test
    void passwdAndGroupDefineRootBerthAndNobody() {
        String passwd = new String(contents.get("etc/passwd"), StandardCharsets.UTF_8);
        String group = new String(contents.get("etc/group"), StandardCharsets.UTF_8);

        assertThat(passwd.lines()).anyMatch(l -> l.startsWith("root:x:0:0:"))
                .anyMatch(l -> l.startsWith("berth:x:1000:1000:"))
                .anyMatch(l -> l.startsWith("nobody:x:65534:65534:"));
        assertThat(group.lines()).contains("root:x:0:", "berth:x:1000:", "nogroup:x:65534:");
    }

    @Test
    void directoriesHaveTheirModesAndTmpIsSticky() {
        assertThat(entries.get("tmp/").isDirectory()).isTrue();
        assertThat(entries.get("tmp/").getMode() & 07777).isEqualTo(01777);
        assertThat(entries.get("root/").getMode() & 07777).isEqualTo(0700);
        assertThat(entries.get("srv/").isDirectory()).isTrue();
        assertThat(entries.get("home/berth/").getLongUserId()).isEqualTo(1000);
        assertThat(contents.keySet()).noneMatch(name -> name.startsWith("srv/") && !name.equals("srv/"));
    }

    @Test
    void rootfsIsDeterministic() {
        assertThat(TestImages.busyboxRootfs()).isEqualTo(rootfs);
    }

    @Test
    void gnuTarExtractsTheRootfsAndItsShellRuns(@TempDir Path dir) throws Exception {
        Path tarFile = dir.resolve("rootfs.tar");
        Files.write(tarFile, rootfs);
        Path root = Files.createDirectory(dir.resolve("root"));
        assertThat(run(dir, "tar", "-xf", tarFile.toString(), "-C", root.toString())).isEmpty();

        assertThat(run(dir, root.resolve("bin/sh").toString(), "-c", "echo extracted")).isEqualTo("extracted\n");
    }

    @Test
    void dynamicallyLinkedBusyboxIsRefusedNamingThePackage(@TempDir Path dir) throws IOException {
        Path fake = dir.resolve("busybox");
        Files.copy(Path.of("/bin/sh"), fake); // dash or bash: dynamically linked on Debian
        assertThat(TestImages.hasInterpreter(Files.readAllBytes(fake))).isTrue();

        assertThatThrownBy(() -> TestImages.busyboxRootfs(fake)).hasMessageContaining("busybox-static");
        assertThatThrownBy(() -> TestImages.busyboxRootfs(dir.resolve("absent"))).hasMessageContaining("busybox-static");
    }

    private static String run(Path dir, String... command) throws Exception {
        var process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(output, StandardCharsets.UTF_8)).isZero();
        return new String(output, StandardCharsets.UTF_8);
    }
}
