package dev.berth.cli;

import dev.berth.testkit.Await;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The kit's bounded-backoff wait, with this test's usual bound. */
final class TestAwait {
    private TestAwait() {
    }

    static void until(BooleanSupplier condition) {
        Await.until(Duration.ofSeconds(30), condition::getAsBoolean, "condition");
    }
}
