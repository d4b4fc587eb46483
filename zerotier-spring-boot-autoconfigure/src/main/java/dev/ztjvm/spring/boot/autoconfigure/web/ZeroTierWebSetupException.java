package dev.ztjvm.spring.boot.autoconfigure.web;

/**
 * The application asks for something on ZeroTier (its web server, or its HTTP clients) that this combination of
 * modules and properties cannot do. {@link ZeroTierWebSetupFailureAnalyzer} reports the problem and the way out, so
 * start-up fails instead of silently serving on, or calling over, the OS network stack.
 */
public final class ZeroTierWebSetupException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final String problem;
  private final String action;

  /**
   * @param problem what cannot work, naming the property or module involved
   * @param action what to do instead
   */
  public ZeroTierWebSetupException(String problem, String action) {
    super(problem + " " + action);
    this.problem = problem;
    this.action = action;
  }

  /** What cannot work. */
  public String getProblem() {
    return problem;
  }

  /** What to do instead. */
  public String getAction() {
    return action;
  }
}
