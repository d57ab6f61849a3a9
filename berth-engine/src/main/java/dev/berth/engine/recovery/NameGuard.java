package dev.berth.engine.recovery;

import java.util.function.Supplier;

/** Runs an action while no other lifecycle change of the same workload runs in this process. */
@FunctionalInterface
public interface NameGuard {
    <T> T with(String name, Supplier<T> action);
}
