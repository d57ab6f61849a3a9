package dev.berth.api.spec;

/** Restart policy with Docker's meaning; {@code maxRetries} only applies to on-failure (0 = unlimited). */
public record RestartPolicy(RestartMode policy, Integer maxRetries) {
    public static final RestartPolicy NO = new RestartPolicy(RestartMode.NO, 0);

    public RestartPolicy {
        policy = policy == null ? RestartMode.NO : policy;
        maxRetries = maxRetries == null ? 0 : maxRetries;
    }
}
