package dev.berth.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Catches the {@code invalid_spec} error a user would see, for tests to check its wording. */
final class Rejections {
    private Rejections() {
    }

    static BerthException invalidSpec(ThrowingCallable call) {
        BerthException e = catchThrowableOfType(BerthException.class, call);
        assertThat(e).as("expected an invalid_spec error").isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.INVALID_SPEC);
        assertThat(e.getMessage()).as("one line for the CLI").doesNotContain("\n");
        return e;
    }
}
