package dev.ztjvm.spring.boot;

import dev.ztjvm.sockets.ZeroTierNode;
import java.util.List;

/**
 * Something to do right after the managed node started and before it joins the configured networks and the start-up
 * wait begins, e.g. authorizing the node at its controller so that its first network request is already answered with
 * a config. Beans of this type run in {@link org.springframework.core.annotation.Order order}; one that throws is
 * logged and does not stop the start (health then reports what is missing).
 */
@FunctionalInterface
public interface ZeroTierNodeStartupAction {

  /**
   * @param node the started node
   * @param networks the networks it is about to join
   */
  void nodeStarted(ZeroTierNode node, List<Long> networks);
}
