package dev.berth.cli;

import dev.berth.api.model.Stats;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth stats}: CPU, memory, network, block I/O and processes of a workload. */
@Command(name = "stats", description = {"Show a workload's resource usage.",
    "Streams samples until Ctrl-C (refreshing the screen on a terminal) unless --no-stream."})
final class StatsCommand implements Callable<Integer> {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Option(names = "--no-stream", description = "Print one sample and exit.")
    boolean noStream;

    @Parameters(paramLabel = "NAME")
    String name;

    private final CliContext ctx;

    StatsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (noStream) {
            ctx.out.println(line("NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"));
            ctx.out.println(row(ctx.client().stats(name)));
            return 0;
        }
        boolean refresh = ctx.interactive();
        try (Stream<Stats> samples = ctx.client().statsStream(name)) {
            Iterator<Stats> it = samples.iterator();
            boolean first = true;
            while (it.hasNext()) {
                String row = row(it.next());
                if (refresh) {
                    ctx.out.print(CLEAR_SCREEN);
                }
                if (refresh || first) {
                    ctx.out.println(line("NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"));
                }
                ctx.out.println(row);
                ctx.out.flush();
                first = false;
                if (ctx.out.checkError()) {
                    break;
                }
            }
        }
        return 0;
    }

    private String row(Stats s) {
        String limit = s.memoryLimitBytes() > 0 ? Formats.bytes(s.memoryLimitBytes()) : "unlimited";
        String memPercent = s.memoryLimitBytes() > 0
                ? String.format(Locale.ROOT, "%.2f%%", 100.0 * s.memoryBytes() / s.memoryLimitBytes()) : "-";
        return line(name,
                String.format(Locale.ROOT, "%.2f%%", s.cpuPercent()),
                Formats.bytes(s.memoryBytes()) + " / " + limit,
                memPercent,
                Formats.bytes(s.networkRxBytes()) + " / " + Formats.bytes(s.networkTxBytes()),
                Formats.bytes(s.blockReadBytes()) + " / " + Formats.bytes(s.blockWriteBytes()),
                Long.toString(s.pids()));
    }

    /** Fixed columns, so streamed lines line up under the one header. */
    private String line(String... cells) {
        int nameWidth = Math.max(4, name.length());
        return String.format(Locale.ROOT, "%-" + nameWidth + "s   %-8s   %-24s   %-7s   %-22s   %-22s   %s", (Object[]) cells)
                .stripTrailing();
    }
}
