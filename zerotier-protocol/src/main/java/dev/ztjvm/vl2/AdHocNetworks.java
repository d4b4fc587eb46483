package dev.ztjvm.vl2;

import java.util.List;
import java.util.Optional;

/**
 * Ad-hoc networks (spec 7.1): IDs starting with {@code 0xff} have no controller; the node synthesises their config
 * locally as 1.14 does.
 */
public final class AdHocNetworks {
  private AdHocNetworks() {}

  /**
   * The locally synthesised config for an ad-hoc network, or empty if {@code nwid} is not a valid ad-hoc ID (1.x then
   * reports NOT_FOUND).
   *
   * @param nwid the network ID
   * @param selfAddress this node's address
   * @param nowMillis the config timestamp
   */
  public static Optional<NetworkConfig> config(long nwid, long selfAddress, long nowMillis) {
    if (!NetworkId.isAdHoc(nwid)) {
      return Optional.empty();
    }
    NetworkConfig.Builder b = NetworkConfig.builder(nwid, selfAddress)
        .timestamp(nowMillis)
        .credentialTimeMaxDelta(2 * 60 * 60 * 1000L)
        .revision(1)
        .flags(NetworkConfig.FLAG_ENABLE_IPV6_NDP_EMULATION)
        .mtu(NetworkConfig.DEFAULT_MTU)
        .type(NetworkConfig.TYPE_PUBLIC);
    Optional<NetworkId.PortRange> ports = NetworkId.adHocPortRange(nwid);
    if (ports.isPresent()) {
      int first = ports.get().first();
      int last = ports.get().last();
      return Optional.of(b.multicastLimit(0)
          .staticIps(List.of(ManagedAddresses.sixPlane(nwid, selfAddress)))
          .rules(portRangeRules(first, last))
          .name(String.format("adhoc-%04x-%04x", first, last))
          .build());
    }
    Optional<Integer> prefix = NetworkId.adHocIpv4Prefix(nwid);
    if (prefix.isPresent()) {
      long hub = NetworkId.adHocHubAddress(nwid);
      byte[] v4 = {(byte) (int) prefix.get(), (byte) (selfAddress >>> 16), (byte) (selfAddress >>> 8),
          (byte) selfAddress};
      return Optional.of(b.multicastLimit(1024)
          .specialists(hub == 0 ? List.of() : List.of(hub)) // a hub without any role bits, as 1.14 stores it
          .staticIps(List.of(ManagedAddresses.sixPlane(nwid, selfAddress), new IpPrefix(IpPrefix.ip(v4), 8)))
          .rules(List.of(Rule.accept()))
          .name("adhoc-" + prefix.get() + ".0.0.0")
          .build());
    }
    return Optional.empty();
  }

  /** The 14 rules of a port-range ad-hoc network: IPv6 only; ICMPv6; TCP/UDP to the ports; replies. */
  static List<Rule> portRangeRules(int first, int last) {
    return List.of(
        Rule.matchEthertype(0x86dd).inverted(), Rule.drop(),
        Rule.matchIpProtocol(0x3a), Rule.accept(),
        Rule.matchIpProtocol(0x11), Rule.matchIpProtocol(0x06).orWithPrevious(),
        Rule.matchDestPortRange(first, last), Rule.accept(),
        Rule.matchCharacteristics(Rule.CHAR_TCP_SYN).inverted(), Rule.accept(),
        Rule.matchCharacteristics(Rule.CHAR_TCP_SYN), Rule.matchCharacteristics(Rule.CHAR_TCP_ACK), Rule.accept(),
        Rule.drop());
  }
}
