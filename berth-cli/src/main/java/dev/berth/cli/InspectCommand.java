package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import picocli.CommandLine.Command;

/**
 * {@code berth inspect}: a workload's status as pretty JSON; one object for one name, an array
 * for several. Fields are those of {@code WorkloadStatus} plus a top-level {@code exitCode}.
 */
@Command(name = "inspect", description = {"Show workloads' status as JSON.",
    "One name prints one object; several print an array. Besides the status fields (state, exit,",
    "ip, ports, ...) each object has exitCode: the exit code, or null while not exited."})
final class InspectCommand extends MultiNameCommand {
    InspectCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    public Integer call() {
        var found = new ArrayList<ObjectNode>();
        int result = ctx.each(names, name -> found.add(JsonOutput.status(ctx.client().inspect(name))));
        if (names.size() == 1) {
            found.forEach(node -> JsonOutput.print(ctx.out, node));
        } else if (!found.isEmpty() || result == 0) {
            JsonOutput.print(ctx.out, found);
        }
        return result;
    }
}
