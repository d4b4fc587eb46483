package dev.ztjvm.sockets;

import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A listener that records every event a node delivers, and waits for the ones a test expects. */
final class EventRecorder implements ZeroTierEventListener {

  /** How long {@link #await(Predicate, String)} waits. */
  static final Duration WAIT = Duration.ofSeconds(15);

  final List<ZeroTierEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(ZeroTierEvent event) {
    events.add(event);
  }

  /** The first recorded event matching {@code p} (named {@code what} in the failure), waiting up to {@link #WAIT}. */
  ZeroTierEvent await(Predicate<ZeroTierEvent> p, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ZeroTierEvent e : events) {
        if (p.test(e)) {
          return e;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no event " + what + " in " + events);
  }

  /** The {@code occurrence}-th (from 1) recorded event of {@code type}, waiting up to {@code timeout}. */
  <T extends ZeroTierEvent> T await(Class<T> type, int occurrence, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<T> seen = of(type);
      if (seen.size() >= occurrence) {
        return seen.get(occurrence - 1);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + type.getSimpleName() + " #" + occurrence + " in " + events);
  }

  /** The recorded events of {@code type}, in order. */
  <T extends ZeroTierEvent> List<T> of(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (ZeroTierEvent e : events) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  /** The classes of the recorded events that {@code keep} accepts, in order. */
  List<Class<?>> types(Predicate<ZeroTierEvent> keep) {
    List<Class<?>> out = new ArrayList<>();
    for (ZeroTierEvent e : events) {
      if (keep.test(e)) {
        out.add(e.getClass());
      }
    }
    return out;
  }
}
