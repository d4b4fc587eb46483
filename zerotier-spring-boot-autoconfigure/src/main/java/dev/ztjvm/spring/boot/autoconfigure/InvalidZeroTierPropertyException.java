package dev.ztjvm.spring.boot.autoconfigure;

/**
 * A {@code zerotier.*} property has a value the node cannot use. {@link InvalidZeroTierPropertyFailureAnalyzer} turns
 * it into a start-up failure report naming the property and the fix.
 */
public final class InvalidZeroTierPropertyException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String property;
  private final String value;
  private final String problem;
  private final String fix;

  /**
   * @param property the property's canonical name, e.g. {@code zerotier.network-id}
   * @param value the offending value as shown to the user (never a secret)
   * @param problem what is wrong
   * @param fix what to do
   */
  public InvalidZeroTierPropertyException(String property, String value, String problem, String fix) {
    super("Invalid value '" + value + "' for property '" + property + "': " + problem + "; " + fix);
    this.property = property;
    this.value = value;
    this.problem = problem;
    this.fix = fix;
  }

  /** The property's canonical name. */
  public String getProperty() {
    return property;
  }

  /** The offending value as shown to the user. */
  public String getValue() {
    return value;
  }

  /** What is wrong. */
  public String getProblem() {
    return problem;
  }

  /** What to do. */
  public String getFix() {
    return fix;
  }
}
