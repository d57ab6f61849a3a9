package dev.berth.image.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command in tests: bounded time, output captured, the process tree killed on timeout. */
public final class Processes {
    private Processes() {
    }

    public record Result(int exitCode, String output) {
        public Result orFail(List<String> command) {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ": " + output);
            }
            return this;
        }
    }

    public static Result run(Duration timeout, List<String> command) {
        try {
            Path log = Files.createTempFile("berth-test-proc", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " timed out after " + timeout);
                }
                return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    public static Result runOrFail(Duration timeout, List<String> command) {
        return run(timeout, command).orFail(command);
    }

    public static boolean available(String binary) {
        return run(Duration.ofSeconds(10), List.of("which", binary)).exitCode() == 0;
    }
}
