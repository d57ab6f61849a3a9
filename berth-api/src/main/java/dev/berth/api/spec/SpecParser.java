package dev.berth.api.spec;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads workload specs from YAML or JSON (text starting with '{' is tried as JSON first) and
 * writes them back. Unknown fields and wrong types are errors that name the field.
 */
public final class SpecParser {
    private static final long MAX_SPEC_BYTES = 1 << 20;
    private final ObjectMapper yaml;
    private final ObjectMapper json;

    public SpecParser() {
        yaml = configure(new ObjectMapper(new YAMLFactory()));
        json = configure(new ObjectMapper());
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // A repeated key (two env: blocks) would otherwise silently drop the first.
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    public WorkloadSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw empty();
        }
        try {
            if (text.stripLeading().startsWith("{")) {
                return readJsonOrFlowYaml(text).validate();
            }
            return read(yaml, text).validate();
        } catch (JsonProcessingException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot read spec text: " + e.getMessage(), e);
        }
    }

    /**
     * JSON first, since SnakeYAML (YAML 1.1) refuses the tab indentation JSON allows; then YAML,
     * for flow mappings such as {name: a, image: busybox}. A syntax error reports JSON's view.
     */
    private WorkloadSpec readJsonOrFlowYaml(String text) throws IOException {
        try {
            return read(json, text);
        } catch (JsonParseException e) {
            try {
                return read(yaml, text);
            } catch (JsonParseException notYamlEither) {
                throw e;
            }
        }
    }

    private static WorkloadSpec read(ObjectMapper mapper, String text) throws IOException {
        try (JsonParser parser = mapper.createParser(text)) {
            WorkloadSpec spec = parser.nextToken() == null ? null : mapper.readValue(parser, WorkloadSpec.class);
            if (spec == null) {
                throw empty(); // only comments, "---" or "~"
            }
            return spec;
        }
    }

    private static BerthException empty() {
        return new BerthException(ErrorCode.INVALID_SPEC, "spec is empty: expected a YAML or JSON object with at least name and image");
    }

    public WorkloadSpec parse(Path file) {
        try {
            if (Files.size(file) > MAX_SPEC_BYTES) {
                throw new BerthException(ErrorCode.INVALID_SPEC, file + ": spec larger than 1 MiB");
            }
            return parse(Files.readString(file));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BerthException(ErrorCode.INVALID_SPEC, file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "cannot read spec file " + file + ": " + e.getMessage());
        }
    }

    public String toJson(WorkloadSpec spec) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot write spec as JSON", e);
        }
    }

    /** Turns Jackson's exceptions into one line that names the field path. */
    static BerthException translate(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException vie && vie.getCause() instanceof BerthException be) {
            return be;
        }
        if (e.getCause() instanceof BerthException be) {
            return be;
        }
        String path = e instanceof JsonMappingException jme ? path(jme) : "";
        if (e instanceof UnrecognizedPropertyException upe) {
            String known = upe.getKnownPropertyIds() == null ? "" : upe.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new BerthException(ErrorCode.INVALID_SPEC,
                    path + ": unknown field; allowed fields here: " + known, path, null);
        }
        if (e instanceof InvalidFormatException ife) {
            return BerthException.invalidField(path, ife.getValue(), "expected " + describe(ife.getTargetType()));
        }
        if (e instanceof MismatchedInputException mie) {
            return new BerthException(ErrorCode.INVALID_SPEC,
                    (path.isEmpty() ? "spec" : path) + ": wrong type; expected " + describe(mie.getTargetType()), path, null);
        }
        return malformed(e);
    }

    /** One line: SnakeYAML's own message spans several, with a source excerpt and a caret. */
    private static BerthException malformed(JsonProcessingException e) {
        String problem = e.getOriginalMessage();
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException y && y.getProblemMark() != null) {
                // The mark points at the offending character; Jackson's location can lag behind it.
                problem = y.getProblem();
                line = y.getProblemMark().getLine() + 1;
                column = y.getProblemMark().getColumn() + 1;
                break;
            }
        }
        problem = problem == null ? "syntax error" : problem.strip().lines().findFirst().orElse("syntax error");
        String where = line > 0 ? " at line " + line + ", column " + column : "";
        return new BerthException(ErrorCode.INVALID_SPEC, "malformed spec" + where + ": " + problem);
    }

    private static String path(JsonMappingException e) {
        var sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type.isEnum() && WireEnum.class.isAssignableFrom(type)) {
            var names = new StringBuilder();
            for (Object c : type.getEnumConstants()) {
                names.append(names.isEmpty() ? "" : ", ").append(((WireEnum) c).wire());
            }
            return "one of " + names;
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return type == String.class ? "a string" : "a " + type.getSimpleName();
    }
}
