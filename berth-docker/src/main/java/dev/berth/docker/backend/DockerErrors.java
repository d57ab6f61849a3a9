package dev.berth.docker.backend;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.docker.api.DockerApiException;
import dev.berth.docker.api.DockerException;
import dev.berth.docker.api.DockerIOException;
import dev.berth.docker.api.DockerUnavailableException;
import java.util.function.Supplier;

/** Maps the Engine API client's exceptions to Berth's error codes, with the operation in the message. */
final class DockerErrors {
    private DockerErrors() {
    }

    static <T> T call(String backend, String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (DockerException e) {
            throw translate(backend, what, e);
        } catch (java.io.UncheckedIOException e) {
            throw new BerthException(ErrorCode.BACKEND_UNAVAILABLE, backend + ": " + what + ": " + e.getCause().getMessage(), e);
        }
    }

    static void run(String backend, String what, Runnable action) {
        call(backend, what, () -> {
            action.run();
            return null;
        });
    }

    /** The same stream, with the client's exceptions during iteration turned into Berth's. */
    static <T> java.util.stream.Stream<T> stream(String backend, String what, java.util.stream.Stream<T> source) {
        java.util.Iterator<T> it = source.iterator();
        java.util.Iterator<T> safe = new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return call(backend, what, it::hasNext);
            }

            @Override
            public T next() {
                return call(backend, what, it::next);
            }
        };
        return java.util.stream.StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(safe, java.util.Spliterator.ORDERED), false).onClose(source::close);
    }

    static BerthException translate(String backend, String what, DockerException e) {
        String message = backend + ": " + what + ": " + e.getMessage();
        if (e instanceof DockerApiException api) {
            message = backend + ": " + what + ": " + api.message();
            if (api.isNotFound()) {
                return new BerthException(ErrorCode.NOT_FOUND, message, e);
            }
            if (api.isConflict()) {
                return new BerthException(ErrorCode.CONFLICT, message, e);
            }
            if (api.status() == 400) {
                return new BerthException(ErrorCode.INVALID_ARGUMENT, message, e);
            }
            return new BerthException(ErrorCode.BACKEND_ERROR, message, e);
        }
        if (e instanceof DockerUnavailableException || e instanceof DockerIOException) {
            return new BerthException(ErrorCode.BACKEND_UNAVAILABLE, message, e);
        }
        return new BerthException(ErrorCode.BACKEND_ERROR, message, e);
    }
}
