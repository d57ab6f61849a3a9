package dev.berth.engine.store;

import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.WorkloadState;
import java.nio.file.Path;

/**
 * A separate JVM for the crash test: inserts records until killed, printing each name only
 * once its insert has returned, that is once it is committed.
 */
public final class SqliteWriterProcess {
    private SqliteWriterProcess() {
    }

    static WorkloadRecord recordFor(int i) {
        return new WorkloadRecord("w" + i, StateStoreContract.fullSpec(), "docker", "handle-" + i, i, WorkloadState.EXITED,
                ExitStatus.ofCode(137, true), StateStoreContract.T0.plusMillis(i), StateStoreContract.T0.plusSeconds(i),
                null, i % 5, "message " + i, i % 2 == 0);
    }

    public static void main(String[] args) {
        var store = new SqliteStateStore(Path.of(args[0]));
        for (int i = 0; i < 1_000_000; i++) {
            if (!store.insert(recordFor(i))) {
                throw new IllegalStateException("w" + i + " already taken");
            }
            System.out.println("w" + i);
            System.out.flush();
        }
    }
}
