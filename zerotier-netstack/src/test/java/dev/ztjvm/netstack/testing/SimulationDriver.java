package dev.ztjvm.netstack.testing;

import dev.ztjvm.netstack.NetworkInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs interfaces on a {@link SimulatedLink} in virtual time: each step jumps the clock to the earliest of the next
 * frame delivery and the interfaces' deadlines, delivers, and polls. Tests are deterministic and take no wall time
 * for timers.
 */
public final class SimulationDriver {

  private final SimulatedLink link;
  private final VirtualClock clock;
  private final List<NetworkInterface> interfaces = new ArrayList<>();
  private final List<Runnable> afterStep = new ArrayList<>();
  private long steps;

  public SimulationDriver(SimulatedLink link) {
    this.link = link;
    this.clock = link.clock();
  }

  /** Adds an interface to poll (usually one made by {@link SimulatedLink#attach}). */
  public SimulationDriver add(NetworkInterface iface) {
    interfaces.add(iface);
    return this;
  }

  /** Runs {@code action} after every step (e.g. an application pumping sockets). */
  public SimulationDriver afterEachStep(Runnable action) {
    afterStep.add(action);
    return this;
  }

  public VirtualClock clock() {
    return clock;
  }

  public long steps() {
    return steps;
  }

  /** Polls every interface at the current time (call after application actions such as sends). */
  public void pollAll() {
    for (NetworkInterface i : interfaces) {
      i.poll(clock.now());
    }
  }

  /** Earliest pending event time, or {@link Long#MAX_VALUE} if the simulation is idle. */
  public long nextEventTime() {
    long next = link.nextDelivery();
    for (NetworkInterface i : interfaces) {
      next = Math.min(next, i.nextDeadline());
    }
    return next;
  }

  /**
   * One step: advance to the next event (not beyond {@code limit}), deliver due frames, poll due interfaces.
   *
   * @return false if nothing was due before {@code limit} (the clock then stands at {@code limit})
   */
  public boolean step(long limit) {
    long next = nextEventTime();
    if (next > limit) {
      // Nothing due before the limit: time passes, and the interfaces see it.
      clock.advanceTo(limit);
      pollAll();
      return false;
    }
    clock.advanceTo(next);
    steps++;
    link.deliverDue();
    long now = clock.now();
    for (NetworkInterface i : interfaces) {
      if (i.nextDeadline() <= now) {
        i.poll(now);
      }
    }
    for (Runnable r : afterStep) {
      r.run();
    }
    return true;
  }

  /** Runs until {@code done} holds or virtual time passes {@code now + maxNanos}; returns {@code done}. */
  public boolean runUntil(BooleanSupplier done, long maxNanos) {
    long limit = clock.now() + maxNanos;
    while (!done.getAsBoolean()) {
      if (!step(limit)) {
        return done.getAsBoolean();
      }
    }
    return true;
  }

  /** Runs for {@code nanos} of virtual time. */
  public void runFor(long nanos) {
    long limit = clock.now() + nanos;
    while (step(limit)) {
      // keep going
    }
  }
}
