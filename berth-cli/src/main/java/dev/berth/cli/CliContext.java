package dev.berth.cli;

import dev.berth.api.client.BerthClient;
import dev.berth.api.error.BerthException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every command shares: the standard streams, the global options and the client, which is
 * opened on first use so that {@code berth version} and {@code --help} never touch a backend.
 */
final class CliContext implements AutoCloseable {
    static final int BERTH_ERROR = 125;

    final PrintStream out;
    final PrintStream err;
    final InputStream in;
    final GlobalOptions global = new GlobalOptions();
    private final Function<GlobalOptions, BerthClient> factory;
    private final BooleanSupplier interactive;
    private BerthClient client;

    CliContext(PrintStream out, PrintStream err, InputStream in, Function<GlobalOptions, BerthClient> factory,
               BooleanSupplier interactive) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.factory = factory;
        this.interactive = interactive;
    }

    BerthClient client() {
        if (client == null) {
            client = factory.apply(global);
        }
        return client;
    }

    /** Whether stdout is a terminal (screen refreshes make sense). */
    boolean interactive() {
        return interactive.getAsBoolean();
    }

    /**
     * Prints an error as exactly one line ({@code berth: message}), the stack trace only under
     * --debug, and returns the exit code for Berth errors.
     */
    int fail(Throwable error) {
        BerthException berth = berthCause(error);
        String message = berth != null ? berth.getMessage() : describe(error);
        err.println("berth: " + oneLine(message));
        if (global.debug) {
            error.printStackTrace(err);
        }
        err.flush();
        return BERTH_ERROR;
    }

    /** Calls {@code action}; a failure is reported as one line and returns false. */
    boolean attempt(Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            fail(e);
            return false;
        }
    }

    /**
     * Calls {@code action} for each name in turn; a failure is reported as one line and the rest
     * still run. Returns 0 when all succeeded, else {@link #BERTH_ERROR}.
     */
    int each(List<String> names, Consumer<String> action) {
        boolean ok = true;
        for (String name : names) {
            ok &= attempt(() -> action.accept(name));
            out.flush();
        }
        return ok ? 0 : BERTH_ERROR;
    }

    /** Runs {@code hook} when the JVM is interrupted (Ctrl-C); run the result to cancel it. */
    Runnable onInterrupt(Runnable hook) {
        Thread thread = new Thread(hook, "berth-interrupt");
        Runtime.getRuntime().addShutdownHook(thread);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(thread);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or ran already: nothing left to cancel.
            }
        };
    }

    @Override
    public void close() {
        out.flush();
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException e) {
                fail(e);
            }
            client = null;
        }
    }

    static BerthException berthCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BerthException b) {
                return b;
            }
        }
        return null;
    }

    private String describe(Throwable error) {
        String text = error.getMessage() == null ? error.getClass().getName()
                : error.getClass().getSimpleName() + ": " + error.getMessage();
        return "unexpected error: " + text + (global.debug ? "" : " (run with --debug for details)");
    }

    static String oneLine(String message) {
        if (message == null) {
            return "error";
        }
        return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
