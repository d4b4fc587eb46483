package dev.ztjvm.runtime;

/**
 * Why {@link EventLoop#await} returned no result: the task threw a checked exception (the cause), the loop did not
 * answer in time, was closed, or the waiting thread was interrupted (then its interrupt flag is set again). An
 * {@link IllegalStateException}, so callers that treat "the node is not (or no longer) running" as such keep working.
 */
public final class LoopCallException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final boolean interrupted;

  LoopCallException(String message, Throwable cause, boolean interrupted) {
    super(message, cause);
    this.interrupted = interrupted;
  }

  /** Whether the waiting thread was interrupted (rather than the loop failing or being slow). */
  public boolean interrupted() {
    return interrupted;
  }
}
