package dev.berth.cli;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --username} and {@code --password-stdin} of commands that talk to a registry. A password
 * is never taken from the command line, where every user of the host can read it ({@code ps},
 * shell history): {@code --password VALUE} is refused without echoing the value.
 */
final class RegistryLogin {
    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "Registry user (needs --password-stdin).")
    String username;

    @Option(names = "--password-stdin", description = "Read the registry password from stdin (a trailing newline is dropped).")
    boolean passwordStdin;

    @Option(names = "--password", hidden = true, parameterConsumer = RefusePassword.class)
    String password;

    /** Null when no --username was given (the store's or engine's configured credentials apply). */
    Credentials credentials(InputStream in) {
        if (username == null && !passwordStdin) {
            return null;
        }
        if (username == null || username.isBlank()) {
            throw usage("--username", "--password-stdin needs --username");
        }
        if (!passwordStdin) {
            throw usage("--password-stdin", "--username needs --password-stdin (a password is never read from the command line)");
        }
        String secret;
        try {
            secret = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INVALID_ARGUMENT, "--password-stdin: cannot read stdin: " + e.getMessage(),
                    "--password-stdin", e);
        }
        secret = secret.endsWith("\n") ? secret.substring(0, secret.length() - 1) : secret;
        secret = secret.endsWith("\r") ? secret.substring(0, secret.length() - 1) : secret;
        if (secret.isEmpty()) {
            throw usage("--password-stdin", "--password-stdin: stdin held no password");
        }
        return Credentials.basic(username, secret, null);
    }

    private static BerthException usage(String flag, String message) {
        return new BerthException(ErrorCode.INVALID_ARGUMENT, message, flag, null);
    }

    /** Fails on {@code --password} before its value is parsed, so no error message can repeat the secret. */
    static final class RefusePassword implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            throw new ParameterException(commandSpec.commandLine(),
                    "--password is not accepted: secrets never go on a command line; pipe the password to --password-stdin");
        }
    }
}
