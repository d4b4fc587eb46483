package dev.ztjvm.spring.boot.autoconfigure;

import dev.ztjvm.spring.boot.ZeroTierNotOnlineException;
import java.net.InetSocketAddress;
import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * The node reached none of its planet's roots within {@code zerotier.startup.timeout} (with
 * {@code fail-on-timeout}): names the roots it tried and, when a root is on loopback while loopback paths are not
 * allowed, the property that fixes it.
 */
final class ZeroTierNotOnlineFailureAnalyzer extends AbstractFailureAnalyzer<ZeroTierNotOnlineException> {

  private final Environment environment;

  ZeroTierNotOnlineFailureAnalyzer(Environment environment) {
    this.environment = environment;
  }

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ZeroTierNotOnlineException cause) {
    String roots = cause.getRoots().isEmpty() ? "none (the planet names no root)"
        : cause.getRoots().stream().map(ZeroTierNotOnlineFailureAnalyzer::format).collect(Collectors.joining(", "));
    boolean loopbackAllowed = environment.getProperty("zerotier.allow-loopback-paths", Boolean.class, false);
    StringBuilder description = new StringBuilder("The ZeroTier node " + cause.getNodeId()
        + " never came online: none of its planet's roots answered (roots tried: " + roots + ").");
    StringBuilder action = new StringBuilder();
    if (cause.hasLoopbackRoot() && !loopbackAllowed) {
      description.append(" A root is on loopback, but zerotier.allow-loopback-paths is false, so the node does not"
          + " use that path.");
      action.append("Set zerotier.allow-loopback-paths=true (a root on this machine, e.g. a self-hosted or test"
          + " planet). ");
    }
    action.append("Check that UDP to the roots' ports is allowed by the firewall and that zerotier.planet names the"
        + " right planet; behind a firewall that blocks UDP set zerotier.tcp-relay.address. Or raise"
        + " zerotier.startup.timeout, or set zerotier.startup.fail-on-timeout=false to start while offline.");
    return new FailureAnalysis(description.toString(), action.toString(), cause);
  }

  private static String format(InetSocketAddress address) {
    return (address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress()) + "/"
        + address.getPort();
  }
}
