package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code berth version}: the CLI's own version and the JVM running it; touches no backend. */
@Command(name = "version", description = "Show the Berth version.")
final class VersionCommand implements Callable<Integer> {
    private final CliContext ctx;

    VersionCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        for (String line : lines()) {
            ctx.out.println(line);
        }
        return 0;
    }

    static String[] lines() {
        return new String[] {
            "berth version " + version(),
            "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/" + System.getProperty("os.arch")
        };
    }

    static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                var props = new Properties();
                props.load(in);
                return props.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // A jar without its resource still runs; the version just reads "unknown".
        }
        return "unknown";
    }

    /** Feeds {@code berth --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
