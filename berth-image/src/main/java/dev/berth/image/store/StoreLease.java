package dev.berth.image.store;

/** A hold on the store that keeps {@link ImageStore#prune()} from deleting content being added. */
public interface StoreLease extends AutoCloseable {
    @Override
    void close();
}
