package dev.berth.cli;

import dev.berth.api.model.LogLine;
import dev.berth.api.model.LogQuery;
import dev.berth.api.model.LogStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth logs}: the workload's stdout lines to stdout, its stderr lines to stderr. */
@Command(name = "logs", description = "Print a workload's output (stdout to stdout, stderr to stderr).")
final class LogsCommand implements Callable<Integer> {
    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the workload exits.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines ('all' = every line).")
    String tail;

    @Option(names = "--since", paramLabel = "DURATION|TIME", description = "Only lines since 10m ago, or since an RFC 3339 time.")
    String since;

    @Option(names = {"-t", "--timestamps"}, description = "Prefix each line with its timestamp.")
    boolean timestamps;

    @Parameters(paramLabel = "NAME")
    String name;

    private final CliContext ctx;

    LogsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var query = LogQuery.ALL.withTail(Flags.tail(tail)).withSince(Flags.since(since, Instant.now()))
                .withFollow(follow).withTimestamps(timestamps);
        try (Stream<LogLine> lines = ctx.client().logs(name, query)) {
            print(ctx, lines, timestamps);
        }
        return 0;
    }

    /** Prints lines as they come; stops early when stdout is gone (a closed pipe). */
    static void print(CliContext ctx, Stream<LogLine> lines, boolean timestamps) {
        Iterator<LogLine> it = lines.iterator();
        while (it.hasNext()) {
            LogLine line = it.next();
            PrintStream target = line.stream() == LogStream.STDERR ? ctx.err : ctx.out;
            if (timestamps && line.timestamp() != null) {
                target.print(line.timestamp());
                target.print(' ');
            }
            target.print(line.text());
            target.print('\n');
            target.flush();
            if (ctx.out.checkError()) {
                return;
            }
        }
    }
}
