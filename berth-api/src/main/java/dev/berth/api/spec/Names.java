package dev.berth.api.spec;

/** The naming rule shared by workloads, networks and volumes: a DNS label of at most 63 characters. */
public final class Names {
    private Names() {
    }

    /** Throws an {@code invalid_spec} error naming {@code field} unless {@code value} is a DNS label. */
    public static String require(String field, String value) {
        SpecRules.name(field, value);
        return value;
    }

    public static boolean isValid(String value) {
        return value != null && SpecRules.DNS_LABEL.matcher(value).matches();
    }
}
