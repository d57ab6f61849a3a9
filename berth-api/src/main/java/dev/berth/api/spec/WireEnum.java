package dev.berth.api.spec;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.berth.api.error.BerthException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum whose spec spelling ({@link #wire()}) differs from its Java constant name. */
public interface WireEnum {
    @JsonValue
    String wire();

    /** Finds the constant spelled {@code value} (case-insensitive), or fails naming field and choices. */
    static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String field, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.wire().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return e;
            }
        }
        throw BerthException.invalidField(field, value, "allowed: " + choices(type));
    }

    static <E extends Enum<E> & WireEnum> String choices(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireEnum::wire).collect(Collectors.joining(", "));
    }
}
