package dev.ztjvm.controller.internal;

import dev.ztjvm.controller.ControllerJson;
import dev.ztjvm.identity.Address;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Rule;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The rule JSON of zerotier-one's controller (spec 9.1) to and from {@link Rule}. */
public final class RuleJson {
  private RuleJson() {}

  private static final String[] NAMES = new String[64];

  static {
    String[] actions = {"ACTION_DROP", "ACTION_ACCEPT", "ACTION_TEE", "ACTION_WATCH", "ACTION_REDIRECT",
        "ACTION_BREAK", "ACTION_PRIORITY"};
    System.arraycopy(actions, 0, NAMES, 0, actions.length);
    String[] matches = {"MATCH_SOURCE_ZEROTIER_ADDRESS", "MATCH_DEST_ZEROTIER_ADDRESS", "MATCH_VLAN_ID",
        "MATCH_VLAN_PCP", "MATCH_VLAN_DEI", "MATCH_MAC_SOURCE", "MATCH_MAC_DEST", "MATCH_IPV4_SOURCE",
        "MATCH_IPV4_DEST", "MATCH_IPV6_SOURCE", "MATCH_IPV6_DEST", "MATCH_IP_TOS", "MATCH_IP_PROTOCOL",
        "MATCH_ETHERTYPE", "MATCH_ICMP", "MATCH_IP_SOURCE_PORT_RANGE", "MATCH_IP_DEST_PORT_RANGE",
        "MATCH_CHARACTERISTICS", "MATCH_FRAME_SIZE_RANGE", "MATCH_RANDOM", "MATCH_TAGS_DIFFERENCE",
        "MATCH_TAGS_BITWISE_AND", "MATCH_TAGS_BITWISE_OR", "MATCH_TAGS_BITWISE_XOR", "MATCH_TAGS_EQUAL",
        "MATCH_TAG_SENDER", "MATCH_TAG_RECEIVER", "INTEGER_RANGE"};
    System.arraycopy(matches, 0, NAMES, 24, matches.length);
  }

  private static int typeOf(String name) {
    for (int i = 0; i < NAMES.length; i++) {
      if (name.equals(NAMES[i])) {
        return i;
      }
    }
    if (name.equals("MATCH_INTEGER_RANGE")) {
      return Rule.MATCH_INTEGER_RANGE;
    }
    throw new IllegalArgumentException("unknown rule type " + name);
  }

  /** Parses a JSON rule list; a non-list reads as empty. */
  @SuppressWarnings("unchecked")
  public static List<Rule> fromJsonList(Object v) {
    List<Rule> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          out.add(fromJson((Map<String, Object>) m));
        }
      }
    }
    return out;
  }

  public static List<Object> toJsonList(List<Rule> rules) {
    List<Object> out = new ArrayList<>();
    for (Rule r : rules) {
      out.add(toJson(r));
    }
    return out;
  }

  /**
   * One rule from its JSON object.
   *
   * @throws IllegalArgumentException if the type is unknown or a field is missing or malformed
   */
  public static Rule fromJson(Map<String, Object> m) {
    String type = str(m, "type");
    if (type == null) {
      throw new IllegalArgumentException("rule without type");
    }
    int t = typeOf(type);
    Rule r = switch (t) {
      case Rule.ACTION_DROP -> Rule.drop();
      case Rule.ACTION_ACCEPT -> Rule.accept();
      case Rule.ACTION_BREAK -> Rule.breakAction();
      case Rule.ACTION_PRIORITY -> Rule.priority();
      case Rule.ACTION_TEE -> Rule.tee(addr(m, "address"), (int) num(m, "flags", 0), (int) num(m, "length", 0));
      case Rule.ACTION_WATCH ->
        Rule.watch(addr(m, "address"), (int) num(m, "flags", 0), (int) num(m, "length", 0));
      case Rule.ACTION_REDIRECT -> Rule.redirect(addr(m, "address"), (int) num(m, "flags", 0));
      case Rule.MATCH_SOURCE_ZEROTIER_ADDRESS -> Rule.matchSourceAddress(addr(m, "zt"));
      case Rule.MATCH_DEST_ZEROTIER_ADDRESS -> Rule.matchDestAddress(addr(m, "zt"));
      case Rule.MATCH_VLAN_ID -> Rule.matchVlanId((int) num(m, "vlanId", 0));
      case Rule.MATCH_VLAN_PCP -> Rule.matchVlanPcp((int) num(m, "vlanPcp", 0));
      case Rule.MATCH_VLAN_DEI -> Rule.matchVlanDei((int) num(m, "vlanDei", 0));
      case Rule.MATCH_MAC_SOURCE -> Rule.matchMacSource(MacAddress.parse(req(m, "mac")).value());
      case Rule.MATCH_MAC_DEST -> Rule.matchMacDest(MacAddress.parse(req(m, "mac")).value());
      case Rule.MATCH_IPV4_SOURCE, Rule.MATCH_IPV4_DEST -> {
        IpPrefix p = IpPrefix.parse(req(m, "ip"));
        if (!(p.address() instanceof Inet4Address a)) {
          throw new IllegalArgumentException(type + " needs an IPv4 address");
        }
        yield t == Rule.MATCH_IPV4_SOURCE ? Rule.matchIpv4Source(a, p.bits()) : Rule.matchIpv4Dest(a, p.bits());
      }
      case Rule.MATCH_IPV6_SOURCE, Rule.MATCH_IPV6_DEST -> {
        IpPrefix p = IpPrefix.parse(req(m, "ip"));
        if (!(p.address() instanceof Inet6Address a)) {
          throw new IllegalArgumentException(type + " needs an IPv6 address");
        }
        yield t == Rule.MATCH_IPV6_SOURCE ? Rule.matchIpv6Source(a, p.bits()) : Rule.matchIpv6Dest(a, p.bits());
      }
      case Rule.MATCH_IP_TOS ->
        Rule.matchIpTos((int) num(m, "mask", 0), (int) num(m, "start", 0), (int) num(m, "end", 0));
      case Rule.MATCH_IP_PROTOCOL -> Rule.matchIpProtocol((int) num(m, "ipProtocol", 0));
      case Rule.MATCH_ETHERTYPE -> Rule.matchEthertype((int) num(m, "etherType", 0));
      case Rule.MATCH_ICMP -> {
        int ty = (int) num(m, "icmpType", 0);
        Object code = m.get("icmpCode");
        byte[] f = {(byte) ty, (byte) (code instanceof Number n ? n.intValue() : 0),
            (byte) (code instanceof Number ? 1 : 0)};
        yield Rule.of(Rule.MATCH_ICMP, f);
      }
      case Rule.MATCH_IP_SOURCE_PORT_RANGE ->
        Rule.matchSourcePortRange((int) num(m, "start", 0), (int) num(m, "end", num(m, "start", 0)));
      case Rule.MATCH_IP_DEST_PORT_RANGE ->
        Rule.matchDestPortRange((int) num(m, "start", 0), (int) num(m, "end", num(m, "start", 0)));
      case Rule.MATCH_FRAME_SIZE_RANGE ->
        Rule.matchFrameSizeRange((int) num(m, "start", 0), (int) num(m, "end", num(m, "start", 0)));
      case Rule.MATCH_CHARACTERISTICS -> Rule.matchCharacteristics(hexOrNum(m, "mask"));
      case Rule.MATCH_RANDOM -> Rule.matchRandom(num(m, "probability", 0));
      case Rule.MATCH_TAGS_DIFFERENCE, Rule.MATCH_TAGS_BITWISE_AND, Rule.MATCH_TAGS_BITWISE_OR,
          Rule.MATCH_TAGS_BITWISE_XOR, Rule.MATCH_TAGS_EQUAL, Rule.MATCH_TAG_SENDER, Rule.MATCH_TAG_RECEIVER ->
        Rule.matchTag(t, num(m, "id", 0), num(m, "value", 0));
      case Rule.MATCH_INTEGER_RANGE -> {
        long start = hexOrNum(m, "start");
        long end = hexOrNum(m, "end");
        yield Rule.matchIntegerRange(start, end - start, (int) num(m, "idx", 0), (int) num(m, "bits", 1),
            bool(m, "little", false));
      }
      default -> throw new IllegalArgumentException("unsupported rule type " + type);
    };
    if (bool(m, "not", false)) {
      r = r.inverted();
    }
    if (bool(m, "or", false)) {
      r = r.orWithPrevious();
    }
    return r;
  }

  private static long num(Map<String, Object> m, String k, long dflt) {
    return ControllerJson.num(m, k, dflt);
  }

  private static boolean bool(Map<String, Object> m, String k, boolean dflt) {
    return ControllerJson.bool(m, k, dflt);
  }

  private static @Nullable String str(Map<String, Object> m, String k) {
    return ControllerJson.str(m, k);
  }

  private static String req(Map<String, Object> m, String k) {
    String s = str(m, k);
    if (s == null) {
      throw new IllegalArgumentException("rule field '" + k + "' missing");
    }
    return s;
  }

  private static long addr(Map<String, Object> m, String k) {
    return Address.parse(req(m, k));
  }

  private static long hexOrNum(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v instanceof String s) {
      return Long.parseUnsignedLong(s, 16);
    }
    return num(m, k, 0);
  }

  /** One rule as JSON. */
  public static Map<String, Object> toJson(Rule r) {
    Map<String, Object> m = new LinkedHashMap<>();
    int t = r.type();
    m.put("type", NAMES[t] != null ? NAMES[t] : "UNKNOWN_" + t);
    m.put("not", r.isNot());
    m.put("or", r.isOr());
    byte[] f = r.field();
    switch (t) {
      case Rule.ACTION_TEE, Rule.ACTION_WATCH, Rule.ACTION_REDIRECT -> {
        m.put("address", Address.toString(u(f, 0, 8) & 0xffffffffffL));
        m.put("flags", u(f, 8, 4));
        m.put("length", u(f, 12, 2));
      }
      case Rule.MATCH_SOURCE_ZEROTIER_ADDRESS, Rule.MATCH_DEST_ZEROTIER_ADDRESS ->
        m.put("zt", Address.toString(u(f, 0, 5)));
      case Rule.MATCH_VLAN_ID -> m.put("vlanId", u(f, 0, 2));
      case Rule.MATCH_VLAN_PCP -> m.put("vlanPcp", u(f, 0, 1));
      case Rule.MATCH_VLAN_DEI -> m.put("vlanDei", u(f, 0, 1));
      case Rule.MATCH_MAC_SOURCE, Rule.MATCH_MAC_DEST -> m.put("mac", MacAddress.toString(u(f, 0, 6)));
      case Rule.MATCH_IPV4_SOURCE, Rule.MATCH_IPV4_DEST -> m.put("ip", ip(f, 4) + "/" + (f[4] & 0xff));
      case Rule.MATCH_IPV6_SOURCE, Rule.MATCH_IPV6_DEST -> m.put("ip", ip(f, 16) + "/" + (f[16] & 0xff));
      case Rule.MATCH_IP_TOS -> {
        m.put("mask", (long) (f[0] & 0xff));
        m.put("start", (long) (f[1] & 0xff));
        m.put("end", (long) (f[2] & 0xff));
      }
      case Rule.MATCH_IP_PROTOCOL -> m.put("ipProtocol", (long) (f[0] & 0xff));
      case Rule.MATCH_ETHERTYPE -> m.put("etherType", u(f, 0, 2));
      case Rule.MATCH_ICMP -> {
        m.put("icmpType", (long) (f[0] & 0xff));
        m.put("icmpCode", (f[2] & 1) != 0 ? (Object) (long) (f[1] & 0xff) : ControllerJson.NULL);
      }
      case Rule.MATCH_IP_SOURCE_PORT_RANGE, Rule.MATCH_IP_DEST_PORT_RANGE, Rule.MATCH_FRAME_SIZE_RANGE -> {
        m.put("start", u(f, 0, 2));
        m.put("end", u(f, 2, 2));
      }
      case Rule.MATCH_CHARACTERISTICS -> m.put("mask", String.format("%016x", u(f, 0, 8)));
      case Rule.MATCH_RANDOM -> m.put("probability", u(f, 0, 4));
      case Rule.MATCH_TAGS_DIFFERENCE, Rule.MATCH_TAGS_BITWISE_AND, Rule.MATCH_TAGS_BITWISE_OR,
          Rule.MATCH_TAGS_BITWISE_XOR, Rule.MATCH_TAGS_EQUAL, Rule.MATCH_TAG_SENDER, Rule.MATCH_TAG_RECEIVER -> {
        m.put("id", u(f, 0, 4));
        m.put("value", u(f, 4, 4));
      }
      case Rule.MATCH_INTEGER_RANGE -> {
        long start = u(f, 0, 8);
        m.put("start", String.format("%016x", start));
        m.put("end", String.format("%016x", u(f, 8, 8)));
        m.put("idx", u(f, 16, 2));
        m.put("little", (f[18] & 0x80) != 0);
        m.put("bits", (long) ((f[18] & 0x3f) + 1));
      }
      default -> {
      }
    }
    return m;
  }

  private static long u(byte[] f, int off, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | (f[off + i] & 0xff);
    }
    return v;
  }

  private static String ip(byte[] f, int n) {
    try {
      return IpPrefix.format(InetAddress.getByAddress(java.util.Arrays.copyOf(f, n)));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
