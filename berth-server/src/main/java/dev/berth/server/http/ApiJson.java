package dev.berth.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The wire format of the REST API, shared by the daemon and its client: records as JSON objects,
 * times as RFC 3339 strings, enums by name. Request bodies are read strictly (unknown fields,
 * trailing tokens, floats for integers and repeated keys are 400s; an absent boolean is false);
 * responses are read leniently so an older client keeps working against a newer daemon.
 */
public final class ApiJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectReader STRICT = MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ApiJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** For request bodies. */
    public static ObjectReader strict() {
        return STRICT;
    }
}
