package dev.berth.api.spec;

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

/**
 * Reads workload specs from YAML or JSON (JSON is valid YAML, so one reader serves both) and
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
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    public WorkloadSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BerthException(ErrorCode.INVALID_SPEC, "spec is empty: expected a YAML or JSON object with at least name and image");
        }
        try {
            WorkloadSpec spec = yaml.readValue(text, WorkloadSpec.class);
            if (spec == null) {
                throw new BerthException(ErrorCode.INVALID_SPEC, "spec is empty: expected a YAML or JSON object");
            }
            return spec.validate();
        } catch (JsonProcessingException e) {
            throw translate(e);
        }
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
        var loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return new BerthException(ErrorCode.INVALID_SPEC, "malformed spec" + where + ": " + e.getOriginalMessage());
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
