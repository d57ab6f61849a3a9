package dev.berth.cli;

import dev.berth.api.spec.SpecParser;
import dev.berth.api.spec.WorkloadSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth apply -f spec.yaml}: create and start the workload a spec file describes. */
@Command(name = "apply", description = "Create and start a workload from a YAML/JSON spec file; prints its name.")
final class ApplyCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "SPEC", description = "Spec file ('-' = stdin).")
    Path file;

    private final CliContext ctx;

    ApplyCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        WorkloadSpec spec = readSpec(ctx, file);
        ctx.out.println(ctx.client().run(spec).name());
        return 0;
    }

    static WorkloadSpec readSpec(CliContext ctx, Path file) {
        var parser = new SpecParser();
        if (!file.toString().equals("-")) {
            return parser.parse(file);
        }
        try {
            return parser.parse(new String(ctx.in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw Flags.cannotRead("--file", file, e);
        }
    }
}
