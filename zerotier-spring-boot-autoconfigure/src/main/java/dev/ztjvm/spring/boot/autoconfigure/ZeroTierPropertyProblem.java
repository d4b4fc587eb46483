package dev.ztjvm.spring.boot.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds Boot's {@link InvalidConfigurationPropertyValueException} for a {@code zerotier.*} value the node cannot use,
 * so Boot's failure analyzer reports the property, its value, where it came from, what is wrong and how to fix it.
 */
public final class ZeroTierPropertyProblem {

  private ZeroTierPropertyProblem() {}

  /**
   * @param property the property's canonical name, e.g. {@code zerotier.network-id}
   * @param value the offending value as shown to the user (never a secret)
   * @param problem what is wrong
   * @param fix what to do
   */
  public static InvalidConfigurationPropertyValueException invalid(String property, String value, String problem,
      String fix) {
    return new InvalidConfigurationPropertyValueException(property, value, problem + "; " + fix);
  }
}
