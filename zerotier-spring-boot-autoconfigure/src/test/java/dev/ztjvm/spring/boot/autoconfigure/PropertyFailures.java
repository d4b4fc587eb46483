package dev.ztjvm.spring.boot.autoconfigure;

import java.lang.reflect.Constructor;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.StandardEnvironment;

/** The report Boot prints for an invalid property: its own (package-private) analyzer, applied to a start failure. */
public final class PropertyFailures {

  private PropertyFailures() {}

  /** Boot's analysis of {@code failure}, or null when it is not an invalid property value. */
  public static FailureAnalysis analyze(Throwable failure) {
    try {
      Class<?> type = Class.forName(
          "org.springframework.boot.diagnostics.analyzer.InvalidConfigurationPropertyValueFailureAnalyzer");
      Constructor<?> constructor = type.getDeclaredConstructor(org.springframework.core.env.Environment.class);
      constructor.setAccessible(true);
      return ((FailureAnalyzer) constructor.newInstance(new StandardEnvironment())).analyze(failure);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Boot's InvalidConfigurationPropertyValueFailureAnalyzer moved", e);
    }
  }
}
