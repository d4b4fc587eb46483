package dev.ztjvm.underlay.portmap;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A UDP mapping the gateway granted.
 *
 * @param protocol the protocol that granted it
 * @param internalPort our UDP port the mapping forwards to
 * @param external the gateway's external address and the port it assigned (may differ from the one suggested)
 * @param lifetimeSeconds the lifetime the gateway granted (may be shorter than the one requested)
 * @param grantedAtNanos {@link System#nanoTime()} when the answer arrived, for scheduling the refresh
 */
public record PortMapping(
    PortMapProtocol protocol, int internalPort, InetSocketAddress external, long lifetimeSeconds, long grantedAtNanos) {

  public PortMapping {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(external, "external");
  }
}
