package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;

/**
 * A command over one or more NAME arguments (workloads, networks). Subclasses handle the names
 * with {@link CliContext#each}, so one failing name does not stop the others.
 */
abstract class MultiNameCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names = new ArrayList<>();

    final CliContext ctx;

    MultiNameCommand(CliContext ctx) {
        this.ctx = ctx;
    }
}
