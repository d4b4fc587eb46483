package dev.ztjvm.tools.natlab;

/**
 * The NAT (or firewall) in front of a lab member, as an nftables ruleset for its router namespace. The router's
 * outside interface is {@code wan0}, the member's side {@code lan0}; the member's UDP port is fixed ({@link
 * NatLabMember#UDP_PORT}, secondary port off) so the rules can name it.
 *
 * <p>Linux's {@code masquerade} keeps the source port when it is free: that is endpoint-independent mapping, and with
 * conntrack alone as the inbound filter it is a port-restricted cone (RFC 4787: address-and-port-dependent
 * filtering). The cones that filter less add a DNAT of the member's port for everyone (full cone) or for addresses the
 * member has sent to (address-restricted, tracked in a dynamic set). {@code fully-random} picks a new port per
 * conntrack entry, i.e. per destination: a symmetric NAT.
 */
enum NatType {
  FULL_CONE("full-cone"), ADDRESS_RESTRICTED("address-restricted"), PORT_RESTRICTED("port-restricted"), SYMMETRIC(
      "symmetric"), UDP_BLOCKED("UDP blocked");

  private final String label;

  NatType(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** The ruleset for the router whose member has {@code memberIp}. */
  String ruleset(String memberIp) {
    int port = NatLabMember.UDP_PORT;
    StringBuilder r = new StringBuilder("table ip natlab {\n");
    if (this == ADDRESS_RESTRICTED) {
      r.append("  set contacted { type ipv4_addr; flags dynamic,timeout; timeout 10m; }\n");
    }
    r.append("  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n");
    if (this == FULL_CONE) {
      r.append("    iifname \"wan0\" udp dport ").append(port).append(" dnat to ").append(memberIp).append('\n');
    } else if (this == ADDRESS_RESTRICTED) {
      r.append("    iifname \"wan0\" udp dport ").append(port).append(" ip saddr @contacted dnat to ")
          .append(memberIp).append('\n');
    }
    r.append("  }\n");
    r.append("  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n");
    r.append("    oifname \"wan0\" masquerade").append(this == SYMMETRIC ? " fully-random" : " persistent")
        .append('\n');
    r.append("  }\n");
    r.append("  chain forward {\n    type filter hook forward priority filter; policy accept;\n");
    if (this == ADDRESS_RESTRICTED) {
      r.append("    iifname \"lan0\" oifname \"wan0\" add @contacted { ip daddr }\n");
    }
    if (this == UDP_BLOCKED) {
      r.append("    meta l4proto udp drop\n");
    }
    r.append("  }\n}\n");
    return r.toString();
  }
}
