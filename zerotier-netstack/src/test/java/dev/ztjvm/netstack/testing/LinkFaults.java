package dev.ztjvm.netstack.testing;

/**
 * What a {@link SimulatedLink} does to frames. Probabilities are per frame and per receiving port.
 *
 * @param loss probability a frame is lost
 * @param duplicate probability a frame is delivered twice
 * @param reorder probability a frame is held back by {@code reorderDelayNanos} extra (so later ones overtake it)
 * @param corrupt probability one random byte of the frame is flipped
 * @param delayNanos fixed one-way delay
 * @param jitterNanos extra delay drawn uniformly from {@code [0, jitterNanos)}
 * @param reorderDelayNanos extra delay of reordered frames
 */
public record LinkFaults(
    double loss, double duplicate, double reorder, double corrupt, long delayNanos, long jitterNanos,
    long reorderDelayNanos) {

  /** A perfect wire with a 50 µs delay. */
  public static final LinkFaults NONE = new LinkFaults(0, 0, 0, 0, 50_000, 0, 0);

  public LinkFaults {
    for (double p : new double[] {loss, duplicate, reorder, corrupt}) {
      if (p < 0 || p > 1) {
        throw new IllegalArgumentException("probability out of [0, 1]: " + p);
      }
    }
    if (delayNanos < 0 || jitterNanos < 0 || reorderDelayNanos < 0) {
      throw new IllegalArgumentException("delays must not be negative");
    }
  }

  public LinkFaults withLoss(double p) {
    return new LinkFaults(p, duplicate, reorder, corrupt, delayNanos, jitterNanos, reorderDelayNanos);
  }

  public LinkFaults withDuplicate(double p) {
    return new LinkFaults(loss, p, reorder, corrupt, delayNanos, jitterNanos, reorderDelayNanos);
  }

  public LinkFaults withReorder(double p, long extraDelayNanos) {
    return new LinkFaults(loss, duplicate, p, corrupt, delayNanos, jitterNanos, extraDelayNanos);
  }

  public LinkFaults withCorrupt(double p) {
    return new LinkFaults(loss, duplicate, reorder, p, delayNanos, jitterNanos, reorderDelayNanos);
  }

  public LinkFaults withDelay(long delay, long jitter) {
    return new LinkFaults(loss, duplicate, reorder, corrupt, delay, jitter, reorderDelayNanos);
  }
}
