package dev.ztjvm.spring.boot.event;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.PayloadApplicationEvent;

/**
 * Publishes every SDK event of a {@link ZeroTierNode} to the application context as it arrives, on the node's event
 * thread and in the SDK's order. The event is a {@link PayloadApplicationEvent} whose source is the node and whose
 * payload is the SDK record, so a listener names the record type it wants:
 *
 * <pre>{@code
 * @EventListener
 * void ready(ZeroTierEvent.NetworkReadyIpv4 event) { ... event.network().ipv4() ... }
 * }</pre>
 *
 * <p>It also keeps the most recent events for the actuator endpoint. {@code StoreIdentity} carries the node's secret
 * key; its {@code toString()} (used for the endpoint) leaves it out.
 */
public final class ZeroTierEventPublisher implements DisposableBean {

  private static final Log log = LogFactory.getLog(ZeroTierEventPublisher.class);

  private final ZeroTierNode node;
  private final ZeroTierEventListener listener;
  private final int capacity;
  private final ArrayDeque<RecentEvent> recent = new ArrayDeque<>();

  /**
   * @param node the node whose events are published
   * @param publisher where events go (the application context)
   * @param capacity how many recent events to keep for {@link #recentEvents()}
   */
  public ZeroTierEventPublisher(ZeroTierNode node, ApplicationEventPublisher publisher, int capacity) {
    this.node = node;
    this.capacity = Math.max(0, capacity);
    this.listener = event -> {
      remember(event);
      try {
        publisher.publishEvent(new PayloadApplicationEvent<>(node, event));
      } catch (RuntimeException e) {
        // A failing listener must not stop the other events or the node's event thread.
        log.warn("ZeroTier event listener failed on " + event, e);
      }
    };
    node.addListener(listener);
  }

  private void remember(ZeroTierEvent event) {
    if (capacity == 0) {
      return;
    }
    synchronized (recent) {
      if (recent.size() == capacity) {
        recent.removeFirst();
      }
      recent.addLast(new RecentEvent(Instant.now(), event));
    }
  }

  /** The most recent events, oldest first. */
  public List<RecentEvent> recentEvents() {
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }

  @Override
  public void destroy() {
    node.removeListener(listener);
  }

  /**
   * An SDK event with the time it was published.
   *
   * @param timestamp when the publisher received it
   * @param event the SDK record
   */
  public record RecentEvent(Instant timestamp, ZeroTierEvent event) {}
}
