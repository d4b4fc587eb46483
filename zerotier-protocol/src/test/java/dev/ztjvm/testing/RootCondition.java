package dev.ztjvm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** The condition behind {@link NeedsRoot}: enabled as root, skipped otherwise — unless root is required. */
public final class RootCondition implements ExecutionCondition {

  /** Environment variable that turns a skip for want of root into a failure ({@code .ci/run} exports it). */
  public static final String REQUIRE_ROOT_ENV = "ZT_REQUIRE_ROOT";

  /** System property with the same effect, for a single run: {@code mvn -B verify -Dzt.requireRoot=true}. */
  public static final String REQUIRE_ROOT_PROPERTY = "zt.requireRoot";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<NeedsRoot> annotation = context.getElement()
        .flatMap(element -> AnnotationSupport.findAnnotation(element, NeedsRoot.class));
    if (annotation.isEmpty()) {
      return ConditionEvaluationResult.enabled("no @NeedsRoot here");
    }
    if (isRoot()) {
      return ConditionEvaluationResult.enabled("running as root");
    }
    String what = annotation.get().value().isEmpty() ? "" : " (" + annotation.get().value() + ")";
    String reason = "needs root" + what + ": TAP devices, network namespaces and nftables are root-only. Run the build"
        + " as root to include it; CI does.";
    if (rootRequired()) {
      throw new IllegalStateException(reason + " Root is required here (" + REQUIRE_ROOT_ENV + "=true or -D"
          + REQUIRE_ROOT_PROPERTY + "=true), so this skip is a failure.");
    }
    return ConditionEvaluationResult.disabled(reason);
  }

  static boolean rootRequired() {
    return Boolean.parseBoolean(System.getenv(REQUIRE_ROOT_ENV))
        || Boolean.parseBoolean(System.getProperty(REQUIRE_ROOT_PROPERTY));
  }

  /** The effective user ID is 0 (read from /proc, which is where these tests can run at all). */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] ids = line.substring(4).trim().split("\\s+");
          return ids.length > 1 && ids[1].equals("0");
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }
}
