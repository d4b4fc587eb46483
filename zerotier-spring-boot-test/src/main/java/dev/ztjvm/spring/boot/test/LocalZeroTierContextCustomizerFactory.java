package dev.ztjvm.spring.boot.test;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Turns {@link LocalZeroTierTest} into a {@link LocalZeroTierContextCustomizer}. */
final class LocalZeroTierContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    LocalZeroTierTest annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, LocalZeroTierTest.class);
    return annotation == null ? null
        : new LocalZeroTierContextCustomizer(annotation.authorize(), annotation.route(), annotation.rfc4193());
  }
}
