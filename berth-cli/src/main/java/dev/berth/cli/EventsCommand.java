package dev.berth.cli;

import dev.berth.api.model.Event;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth events}: the event log (created, started, ready, exited, ...), optionally followed. */
@Command(name = "events", description = "Show workload events; with -f keep printing new ones.")
final class EventsCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--since", paramLabel = "ID", description = "Only events after this id (default: all the log holds).")
    long since;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
    boolean follow;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    EventsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try (Stream<Event> events = ctx.client().events(since, follow)) {
            events.forEach(e -> {
                ctx.out.println(json ? JsonOutput.line(e) : line(e));
                if (follow) {
                    ctx.out.flush();
                }
            });
        }
        return 0;
    }

    static String line(Event e) {
        return e.id() + " " + e.at() + " " + e.type().name().toLowerCase(Locale.ROOT) + " " + e.workload()
                + (e.detail() == null ? "" : " " + e.detail());
    }
}
