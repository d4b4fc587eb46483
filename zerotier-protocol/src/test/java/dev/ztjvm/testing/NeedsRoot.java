package dev.ztjvm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test (class or method) that needs root: TAP devices, network namespaces, nftables. As root it runs; as a
 * normal user it is skipped with a visible reason, so a contributor's {@code mvn -B verify} passes; with the
 * environment variable {@value RootCondition#REQUIRE_ROOT_ENV}{@code =true} (or the system property
 * {@value RootCondition#REQUIRE_ROOT_PROPERTY}) — which {@code .ci/run} sets — the skip becomes a failure, so CI
 * always runs these tests.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RootCondition.class)
public @interface NeedsRoot {

  /** What the test does as root (shown in the skip reason). */
  String value() default "";
}
