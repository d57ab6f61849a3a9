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
        }
    }

    static void run(String backend, String what, Runnable action) {
        call(backend, what, () -> {
            action.run();
            return null;
        });
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
