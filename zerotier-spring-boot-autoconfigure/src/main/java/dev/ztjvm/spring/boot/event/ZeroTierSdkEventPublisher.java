package dev.ztjvm.spring.boot.event;

import dev.ztjvm.spring.boot.ZeroTierNodeAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Republishes every SDK event of a {@link ZeroTierNodeAdapter}'s node as a {@link ZeroTierSdkEvent}, on the node's
 * event thread and in its order. The state-based events come from snapshots and are not ordered relative to these
 * records.
 */
public final class ZeroTierSdkEventPublisher implements DisposableBean {

  private static final Log log = LogFactory.getLog(ZeroTierSdkEventPublisher.class);

  private final AutoCloseable subscription;

  /**
   * @param node the node
   * @param publisher where events go (the application context)
   */
  public ZeroTierSdkEventPublisher(ZeroTierNodeAdapter node, ApplicationEventPublisher publisher) {
    this.subscription = node.onEvent(event -> {
      try {
        publisher.publishEvent(new ZeroTierSdkEvent<>(node, event));
      } catch (RuntimeException e) {
        // A failing listener must not stop the other events or the node's event thread.
        log.warn("ZeroTier SDK event listener failed on " + event, e);
      }
    });
  }

  @Override
  public void destroy() throws Exception {
    subscription.close();
  }
}
