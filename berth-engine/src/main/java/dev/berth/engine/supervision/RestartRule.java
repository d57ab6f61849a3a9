package dev.berth.engine.supervision;

import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.RestartPolicy;
import dev.berth.engine.store.WorkloadRecord;

/**
 * Docker's restart policies as one decision on an exited workload. A user's stop is final for
 * every policy; {@code on-failure} restarts a non-zero exit until {@code maxRetries} restarts
 * (0 = no limit) since the user last started the workload.
 */
final class RestartRule {
    private RestartRule() {
    }

    static boolean wantsRestart(WorkloadRecord record) {
        if (record.state() != WorkloadState.EXITED || record.stoppedByUser() || record.handle() == null) {
            return false;
        }
        RestartPolicy policy = record.spec().restart();
        return switch (policy.policy()) {
            case NO -> false;
            case ALWAYS, UNLESS_STOPPED -> true;
            case ON_FAILURE -> record.exit() != null && record.exit().code() != 0
                    && (policy.maxRetries() == 0 || record.restartCount() < policy.maxRetries());
        };
    }
}
