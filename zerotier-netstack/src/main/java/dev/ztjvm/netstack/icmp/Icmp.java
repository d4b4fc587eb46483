package dev.ztjvm.netstack.icmp;

/** ICMPv4 and ICMPv6 message types and codes the stack uses. */
public final class Icmp {

  private Icmp() {}

  public static final int V4_ECHO_REPLY = 0;
  public static final int V4_DEST_UNREACHABLE = 3;
  public static final int V4_ECHO_REQUEST = 8;
  public static final int V4_TIME_EXCEEDED = 11;
  public static final int V4_PARAMETER_PROBLEM = 12;
  public static final int V4_CODE_NET_UNREACHABLE = 0;
  public static final int V4_CODE_HOST_UNREACHABLE = 1;
  public static final int V4_CODE_PROTOCOL_UNREACHABLE = 2;
  public static final int V4_CODE_PORT_UNREACHABLE = 3;
  public static final int V4_CODE_FRAGMENTATION_NEEDED = 4;

  public static final int V6_DEST_UNREACHABLE = 1;
  public static final int V6_PACKET_TOO_BIG = 2;
  public static final int V6_TIME_EXCEEDED = 3;
  public static final int V6_PARAMETER_PROBLEM = 4;
  public static final int V6_ECHO_REQUEST = 128;
  public static final int V6_ECHO_REPLY = 129;
  public static final int V6_MLD_QUERY = 130;
  public static final int V6_MLD_REPORT = 131;
  public static final int V6_MLD_DONE = 132;
  public static final int V6_ROUTER_SOLICITATION = 133;
  public static final int V6_ROUTER_ADVERTISEMENT = 134;
  public static final int V6_NEIGHBOR_SOLICITATION = 135;
  public static final int V6_NEIGHBOR_ADVERTISEMENT = 136;
  public static final int V6_REDIRECT = 137;
  public static final int V6_MLD2_REPORT = 143;
  public static final int V6_CODE_NO_ROUTE = 0;
  public static final int V6_CODE_ADDRESS_UNREACHABLE = 3;
  public static final int V6_CODE_PORT_UNREACHABLE = 4;
  public static final int V6_PARAM_UNRECOGNIZED_NEXT_HEADER = 1;

  /** NDP option: source link-layer address. */
  public static final int ND_OPT_SOURCE_LL = 1;
  /** NDP option: target link-layer address. */
  public static final int ND_OPT_TARGET_LL = 2;
  public static final int NA_FLAG_ROUTER = 0x80;
  public static final int NA_FLAG_SOLICITED = 0x40;
  public static final int NA_FLAG_OVERRIDE = 0x20;
}
