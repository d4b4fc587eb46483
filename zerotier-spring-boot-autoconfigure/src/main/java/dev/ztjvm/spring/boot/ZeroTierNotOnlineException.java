package dev.ztjvm.spring.boot;

import java.net.InetSocketAddress;
import java.util.List;

/** The node reached no root of its planet within the start-up wait, and the start was configured to fail then. */
public final class ZeroTierNotOnlineException extends ZeroTierStartupException {

  private static final long serialVersionUID = 1L;

  private final String nodeId;
  private final List<InetSocketAddress> roots;

  /**
   * @param message what failed, with the reasons
   * @param nodeId the node, ten hex digits
   * @param roots the planet's roots' addresses the node tried
   */
  public ZeroTierNotOnlineException(String message, String nodeId, List<InetSocketAddress> roots) {
    super(message);
    this.nodeId = nodeId;
    this.roots = List.copyOf(roots);
  }

  /** The node, ten hex digits. */
  public String getNodeId() {
    return nodeId;
  }

  /** The addresses of the planet's roots the node tried. */
  public List<InetSocketAddress> getRoots() {
    return roots;
  }

  /** Whether a root listens on a loopback address (needs {@code zerotier.allow-loopback-paths}). */
  public boolean hasLoopbackRoot() {
    return roots.stream().anyMatch(r -> r.getAddress() != null && r.getAddress().isLoopbackAddress());
  }
}
