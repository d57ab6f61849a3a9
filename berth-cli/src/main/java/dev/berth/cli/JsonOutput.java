package dev.berth.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.berth.api.model.WorkloadStatus;
import java.io.PrintStream;
import java.util.List;

/**
 * JSON as the CLI prints it: pretty, times as RFC 3339 strings. A workload status is the API's
 * {@link WorkloadStatus} with one field added after {@code state}: {@code exitCode}, the exit code
 * or null while the workload has not exited (the {@code exit} object keeps code, signal, oomKilled).
 */
final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** Two-space indents, "key": value, one array element per line (as jq prints). */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));

    private JsonOutput() {
    }

    static ObjectNode status(WorkloadStatus status) {
        ObjectNode raw = MAPPER.valueToTree(status);
        ObjectNode node = MAPPER.createObjectNode();
        for (var field : raw.properties()) {
            node.set(field.getKey(), field.getValue());
            if (field.getKey().equals("state")) {
                node.put("exitCode", status.exit() == null ? null : status.exit().code());
            }
        }
        return node;
    }

    static ArrayNode statuses(List<WorkloadStatus> statuses) {
        ArrayNode array = MAPPER.createArrayNode();
        statuses.forEach(s -> array.add(status(s)));
        return array;
    }

    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    static void print(PrintStream out, Object value) {
        try {
            out.println(MAPPER.writer(PRETTY).writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    /** Compact, one line (for streams such as events). */
    static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }
}
