package io.headroom.it;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class (or method) that runs only where everything it {@linkplain Need needs} is there. Otherwise its tests
 * are <em>skipped</em> with the reason (JUnit disables them, so Surefire and Failsafe count each one as skipped,
 * never as "Tests run: 0"), and a {@code SKIPPED … test: reason} line goes to stderr. Under {@code CI=true} nothing
 * is skipped: the test runs and fails on the missing piece with the same reason.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsCondition.class)
public @interface Needs {
    Need[] value();
}
