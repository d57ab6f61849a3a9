package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** env, workingDir and user as the workload's main process sees them. */
public interface ProcessSettingsCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();



    @Test
    default void envValuesReachTheProcessLiterallyWithoutShellExpansion() {
        var env = new LinkedHashMap<String, String>();
        env.put("CK_SPACES", "two  words and a trailing space ");
        env.put("CK_DOUBLE", "say \"hi\"");
        env.put("CK_SINGLE", "it's 'quoted'");
        env.put("CK_SUBSHELL", "$(id)");
        env.put("CK_BACKTICKS", "`id`");
        env.put("CK_VARIABLE", "$HOME");
        env.put("CK_EQUALS", "a=b=c");
        env.put("CK_EMPTY", "");
        env.put("CK_UNICODE", "grüße ✓");
        var spec = kit().busybox("env", "env").env(env).build();

        assertThat(kit().runToExit(spec).code()).isZero();

        assertThat(parseEnv(String.join("\n", kit().stdout(spec.name())))).containsAllEntriesOf(env);
    }

    @Test
    default void workingDirIsTheProcessDirectory() {
        var spec = kit().busybox("workdir", "pwd").workingDir("/srv").build();

        assertThat(kit().runToExit(spec).code()).isZero();

        assertThat(kit().stdout(spec.name())).containsExactly("/srv");
    }

    @Test
    default void numericUserAndGroupApply() {
        var spec = kit().busybox("uid-gid", "sh", "-c", "id -u; id -g").user("1000:1000").build();

        assertThat(kit().runToExit(spec).code()).isZero();

        assertThat(kit().stdout(spec.name())).containsExactly("1000", "1000");
    }

    @Test
    default void userNameResolvesThroughTheImagePasswd() {
        var spec = kit().busybox("uid-name", "sh", "-c", "id -u; id -g").user("nobody").build();

        assertThat(kit().runToExit(spec).code()).isZero();

        assertThat(kit().stdout(spec.name())).containsExactly("65534", "65534");
    }

    /** Parses {@code env} output: NAME=value per line, split at the first '='. */
    static Map<String, String> parseEnv(String output) {
        var env = new LinkedHashMap<String, String>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }
}
