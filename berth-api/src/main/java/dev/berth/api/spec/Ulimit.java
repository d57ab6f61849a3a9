package dev.berth.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.berth.api.error.BerthException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A resource limit; in specs either one number (soft = hard) or {@code {soft: N, hard: M}}. */
public record Ulimit(long soft, long hard) {
    public static Ulimit of(long value) {
        return new Ulimit(value, value);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Ulimit fromJson(Object value) {
        if (value instanceof Number n) {
            return of(n.longValue());
        }
        if (value instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k.equals("soft") || k.equals("hard"))
                && m.get("soft") instanceof Number s) {
            Object hard = m.get("hard") == null ? s : m.get("hard");
            if (hard instanceof Number h) {
                return new Ulimit(s.longValue(), h.longValue());
            }
        }
        throw BerthException.invalidField("ulimits", value, "allowed: a number, or {soft: N, hard: M}");
    }

    @JsonValue
    Object toJson() {
        if (soft == hard) {
            return soft;
        }
        var m = new LinkedHashMap<String, Long>();
        m.put("soft", soft);
        m.put("hard", hard);
        return m;
    }
}
