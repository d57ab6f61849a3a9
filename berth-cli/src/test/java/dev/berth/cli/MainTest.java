package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    private final CliRunner cli = new CliRunner();

    @Test
    void subcommandIsFoundAfterGlobalOptions() {
        assertThat(Main.subcommandOf(new String[] {"--backend", "podman", "--debug", "ps", "-a"})).isEqualTo("ps");
        assertThat(Main.subcommandOf(new String[] {"--data-dir=/x", "--engine-socket", "/s", "image", "ls"})).isEqualTo("image");
        assertThat(Main.subcommandOf(new String[] {"--backend", "run", "ps"})).isEqualTo("ps");
    }

    @Test
    void everyCommandIsBuiltWhenNoneIsNamed() {
        assertThat(Main.subcommandOf(new String[] {})).isNull();
        assertThat(Main.subcommandOf(new String[] {"--help"})).isNull();
        assertThat(Main.subcommandOf(new String[] {"bogus"})).isNull();
        assertThat(Main.subcommandOf(new String[] {"help", "run"})).isNull();
    }

    @Test
    void unknownCommandIsOneLineAndExit125() {
        var r = cli.run("bogus");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).singleElement().asString().startsWith("berth: ").endsWith("(see 'berth --help')");
    }

    @Test
    void helpCommandPrintsTheNamedCommandsUsage() {
        assertThat(cli.run("help", "image", "pull").out()).startsWith("Usage: berth image pull");
        assertThat(cli.run("help").out()).startsWith("Usage: berth ");
        var r = cli.run("help", "nope");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.errLines()).hasSize(1);
    }

    @Test
    void noArgumentsPrintsUsage() {
        var r = cli.run();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: berth", "Commands:", "network");
    }
}
