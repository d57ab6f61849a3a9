package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.model.PullProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandsTest {
    private final CliRunner cli = new CliRunner();

    @TempDir
    Path tmp;

    @Test
    void imageCommandsActOnTheStoreUnlessGivenTheirOwnBackend() {
        cli.run("image", "ls");
        cli.run("image", "rm", "busybox");
        cli.run("image", "prune");
        cli.run("image", "tag", "a", "b");
        cli.run("image", "inspect", "a");
        assertThat(cli.client.calls).containsExactly("ls null", "rm-image null busybox", "prune null", "tag null a b",
                "inspect-image null a");

        cli.client.calls.clear();
        cli.run("image", "ls", "--backend", "docker");
        cli.run("image", "rm", "--backend", "podman", "busybox");
        cli.run("image", "prune", "--backend", "docker");
        cli.run("image", "tag", "--backend", "docker", "a", "b");
        cli.run("image", "inspect", "--backend", "podman", "a");
        assertThat(cli.client.calls).containsExactly("ls docker", "rm-image podman busybox", "prune docker",
                "tag docker a b", "inspect-image podman a");
    }

    @Test
    void theGlobalBackendDoesNotRedirectImageCommands() {
        cli.run("--backend", "docker", "image", "ls");
        cli.run("--backend", "docker", "image", "pull", "-q", "busybox");
        cli.run("--backend", "podman", "image", "inspect", "busybox");
        assertThat(cli.client.calls).containsExactly("ls null", "pull null busybox null ALWAYS",
                "inspect-image null busybox");
        assertThat(cli.run("image", "ls", "--help").out()).contains("global --backend", "does not apply");
    }

    @Test
    void pullPrintsTheIdOnStdoutAndStateChangesOnStderr() {
        cli.client.pullEvents.add(new PullProgress("busybox", "sha256:abcdef0123456789", "waiting", 0, 2 << 20));
        cli.client.pullEvents.add(new PullProgress("busybox", "sha256:abcdef0123456789", "downloading", 0, 2 << 20));
        cli.client.pullEvents.add(new PullProgress("busybox", "sha256:abcdef0123456789", "downloading", 1 << 20, 2 << 20));
        cli.client.pullEvents.add(new PullProgress("busybox", "sha256:abcdef0123456789", "verifying", 2 << 20, 2 << 20));
        cli.client.pullEvents.add(new PullProgress("busybox", "sha256:abcdef0123456789", "done", 2 << 20, 2 << 20));

        var pull = cli.run("image", "pull", "--platform", "linux/arm64/v8", "--pull-policy", "missing", "busybox");

        assertThat(pull.exitCode()).as(pull.err()).isZero();
        assertThat(pull.out()).isEqualTo("sha256:0123456789abcdef0123\n");
        assertThat(pull.errLines()).hasSize(5);
        assertThat(pull.errLines().subList(0, 3)).containsExactly("abcdef012345 waiting 2.0MiB",
                "abcdef012345 downloading 2.0MiB", "abcdef012345 verifying 2.0MiB");
        assertThat(pull.errLines().get(3)).startsWith("abcdef012345 done 2.0MiB");
        assertThat(pull.errLines().get(4)).startsWith("pulled sha256:0123456789abcdef0123: 1 layer, 2.0MiB");
        assertThat(cli.client.calls).containsExactly("pull null busybox linux/arm64/v8 IF_NOT_PRESENT");
        assertThat(cli.client.lastCredentials).isNull();
    }

    @Test
    void quietPullPrintsOnlyTheId() {
        cli.client.pullEvents.add(new PullProgress("busybox", "sha256:abcdef0123456789", "downloading", 0, 10));
        var pull = cli.run("image", "pull", "-q", "--backend", "podman", "busybox");
        assertThat(pull.out()).isEqualTo("sha256:0123456789abcdef0123\n");
        assertThat(pull.err()).isEmpty();
        assertThat(cli.client.calls).containsExactly("pull podman busybox null ALWAYS");
    }

    @Test
    void pullOnATerminalRedrawsInPlace() {
        cli.terminal = true;
        cli.client.pullEvents.add(new PullProgress("busybox", "sha256:abcdef0123456789", "downloading", 0, 10));
        cli.client.pullEvents.add(new PullProgress("busybox", "sha256:abcdef0123456789", "done", 10, 10));
        var pull = cli.run("image", "pull", "busybox");
        assertThat(pull.out()).isEqualTo("sha256:0123456789abcdef0123\n");
        assertThat(pull.err()).contains("\033[1A", "\033[2K");
    }

    @Test
    void aPasswordArgumentIsRefusedWithoutRepeatingIt() {
        for (String[] args : new String[][] {
            {"image", "pull", "--username", "bob", "--password", "s3cret", "busybox"},
            {"image", "pull", "--password=s3cret", "busybox"},
            {"image", "push", "--password", "s3cret", "127.0.0.1:5000/app:1"},
            {"image", "pull", "busybox", "--password"}}) {
            var r = cli.run(args);
            assertThat(r.exitCode()).isEqualTo(125);
            assertThat(r.errLines()).singleElement().asString()
                    .startsWith("berth: --password is not accepted").contains("--password-stdin").doesNotContain("s3cret");
            assertThat(r.out()).isEmpty();
        }
        assertThat(cli.client.calls).isEmpty();
    }

    @Test
    void passwordStdinReadsTheSecretFromStdin() {
        cli.stdin = "s3cret pass\n".getBytes(StandardCharsets.UTF_8);
        var pull = cli.run("image", "pull", "-q", "-u", "bob", "--password-stdin", "127.0.0.1:5000/app:1");
        assertThat(pull.exitCode()).as(pull.err()).isZero();
        assertThat(cli.client.lastCredentials.username()).isEqualTo("bob");
        assertThat(cli.client.lastCredentials.password()).isEqualTo("s3cret pass");

        cli.stdin = "other\r\n".getBytes(StandardCharsets.UTF_8);
        var push = cli.run("image", "push", "--username", "amy", "--password-stdin", "127.0.0.1:5000/app:1");
        assertThat(push.out()).isEqualTo("sha256:beef\n");
        assertThat(cli.client.lastCredentials.username()).isEqualTo("amy");
        assertThat(cli.client.lastCredentials.password()).isEqualTo("other");
        assertThat(cli.client.calls).containsExactly("pull null 127.0.0.1:5000/app:1 null ALWAYS", "push 127.0.0.1:5000/app:1");
    }

    @Test
    void credentialFlagsNeedEachOther() {
        cli.stdin = "s3cret\n".getBytes(StandardCharsets.UTF_8);
        var noPassword = cli.run("image", "pull", "--username", "bob", "busybox");
        assertThat(noPassword.exitCode()).isEqualTo(125);
        assertThat(noPassword.errLines()).containsExactly(
                "berth: --username needs --password-stdin (a password is never read from the command line)");
        var noUser = cli.run("image", "push", "--password-stdin", "busybox");
        assertThat(noUser.errLines()).containsExactly("berth: --password-stdin needs --username");
        cli.stdin = new byte[0];
        var empty = cli.run("image", "push", "-u", "bob", "--password-stdin", "busybox");
        assertThat(empty.errLines()).containsExactly("berth: --password-stdin: stdin held no password");
        assertThat(cli.client.calls).isEmpty();
    }

    @Test
    void inspectPrintsTheDetailsAsJson() throws Exception {
        var r = cli.run("image", "inspect", "busybox");
        var json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("store").asText()).isEqualTo("berth");
        assertThat(json.get("cmd").get(0).asText()).isEqualTo("/bin/sh");
        assertThat(json.get("created").asText()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(r.out()).contains("\n  \"platform\": \"linux/amd64\"");
    }

    @Test
    void unpackWritesIntoTheGivenDirectory() {
        var r = cli.run("image", "unpack", "busybox", tmp.resolve("root").toString());
        assertThat(r.exitCode()).isZero();
        assertThat(cli.client.calls).containsExactly("unpack busybox " + tmp.resolve("root"));
        assertThat(cli.run("image", "unpack", "busybox").exitCode()).isEqualTo(125);
    }

    @Test
    void importPassesFilesAndDirectoriesAsPathsAndDashAsStdin() throws Exception {
        Path tar = Files.write(tmp.resolve("rootfs.tar"), new byte[] {1, 2});
        var file = cli.run("image", "import", "--change", "CMD [\"/bin/sh\"]", tar.toString(), "mine:1");
        assertThat(file.out()).isEqualTo("sha256:feed\n");
        assertThat(cli.run("image", "import", "--backend", "docker", tmp.toString(), "dir:1").exitCode()).isZero();

        cli.stdin = "TARBYTES".getBytes(StandardCharsets.UTF_8);
        assertThat(cli.run("image", "import", "-", "piped:1").out()).isEqualTo("sha256:feed\n");

        assertThat(cli.client.calls).containsExactly("import null path " + tar + " mine:1 [CMD [\"/bin/sh\"]]",
                "import docker path " + tmp + " dir:1 []", "import null TARBYTES piped:1 []");

        var missing = cli.run("image", "import", tmp.resolve("nope.tar").toString(), "x:1");
        assertThat(missing.exitCode()).isEqualTo(125);
        assertThat(missing.errLines()).singleElement().asString().contains("nope.tar", "no such file");
    }

    @Test
    void listRemoveAndTagPrintWhatDockerUsersExpect() {
        assertThat(cli.run("image", "ls").out()).contains("REPOSITORY", "127.0.0.1:5000/app", "1.2", "0123456789ab", "5.0MiB");
        assertThat(cli.run("image", "rm", "busybox").out()).isEqualTo("busybox\n");
        assertThat(cli.run("image", "rm", "nope").exitCode()).isEqualTo(125);
        assertThat(cli.run("image", "tag", "a", "b").exitCode()).isZero();
        var missing = cli.run("image");
        assertThat(missing.exitCode()).isEqualTo(125);
        assertThat(missing.errLines()).singleElement().asString().contains("push", "inspect", "unpack");
    }
}
