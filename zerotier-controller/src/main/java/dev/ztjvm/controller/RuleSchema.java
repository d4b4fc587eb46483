package dev.ztjvm.controller;

import dev.ztjvm.controller.internal.RuleJson;
import dev.ztjvm.identity.Address;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.vl2.IpPrefix;
import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The schema of a network record's {@code rules}, {@code capabilities} and {@code tags} (zerotier-one's rule JSON):
 * what a controller accepts before it saves them, so that a stored network always compiles to a config.
 *
 * <ul>
 *   <li>{@code rules}: a list of rule objects, each with a known {@code type} ({@code ACTION_*}, {@code MATCH_*}), the
 *       fields that type uses with the right JSON type and range (addresses, MACs and prefixes as strings, numbers as
 *       integers in the field's width), and optional booleans {@code not} and {@code or};
 *   <li>{@code capabilities}: a list of objects with an integer {@code id} (32 bits), a {@code rules} list as above and
 *       an optional boolean {@code default};
 *   <li>{@code tags}: a list of objects with an integer {@code id} (32 bits) and an optional integer or null {@code
 *       default}.
 * </ul>
 *
 * Errors name the offending element, e.g. {@code rules[2].vlanId: expected an integer 0..65535, got "x"}.
 */
public final class RuleSchema {

  private RuleSchema() {}

  private static final long U8 = 0xff;
  private static final long U16 = 0xffff;
  private static final long U32 = 0xffffffffL;

  /** Field kinds of rule objects. */
  private enum Kind {
    ADDRESS, MAC, IPV4_PREFIX, IPV6_PREFIX, UINT8, UINT16, UINT32, UINT8_OR_NULL, HEX64, BITS, BOOL
  }

  private static final Map<String, Map<String, Kind>> FIELDS = Map.ofEntries(
      Map.entry("ACTION_DROP", Map.of()),
      Map.entry("ACTION_ACCEPT", Map.of()),
      Map.entry("ACTION_BREAK", Map.of()),
      Map.entry("ACTION_PRIORITY", Map.of()),
      Map.entry("ACTION_TEE", Map.of("address", Kind.ADDRESS, "flags", Kind.UINT32, "length", Kind.UINT16)),
      Map.entry("ACTION_WATCH", Map.of("address", Kind.ADDRESS, "flags", Kind.UINT32, "length", Kind.UINT16)),
      Map.entry("ACTION_REDIRECT", Map.of("address", Kind.ADDRESS, "flags", Kind.UINT32)),
      Map.entry("MATCH_SOURCE_ZEROTIER_ADDRESS", Map.of("zt", Kind.ADDRESS)),
      Map.entry("MATCH_DEST_ZEROTIER_ADDRESS", Map.of("zt", Kind.ADDRESS)),
      Map.entry("MATCH_VLAN_ID", Map.of("vlanId", Kind.UINT16)),
      Map.entry("MATCH_VLAN_PCP", Map.of("vlanPcp", Kind.UINT8)),
      Map.entry("MATCH_VLAN_DEI", Map.of("vlanDei", Kind.UINT8)),
      Map.entry("MATCH_MAC_SOURCE", Map.of("mac", Kind.MAC)),
      Map.entry("MATCH_MAC_DEST", Map.of("mac", Kind.MAC)),
      Map.entry("MATCH_IPV4_SOURCE", Map.of("ip", Kind.IPV4_PREFIX)),
      Map.entry("MATCH_IPV4_DEST", Map.of("ip", Kind.IPV4_PREFIX)),
      Map.entry("MATCH_IPV6_SOURCE", Map.of("ip", Kind.IPV6_PREFIX)),
      Map.entry("MATCH_IPV6_DEST", Map.of("ip", Kind.IPV6_PREFIX)),
      Map.entry("MATCH_IP_TOS", Map.of("mask", Kind.UINT8, "start", Kind.UINT8, "end", Kind.UINT8)),
      Map.entry("MATCH_IP_PROTOCOL", Map.of("ipProtocol", Kind.UINT8)),
      Map.entry("MATCH_ETHERTYPE", Map.of("etherType", Kind.UINT16)),
      Map.entry("MATCH_ICMP", Map.of("icmpType", Kind.UINT8, "icmpCode", Kind.UINT8_OR_NULL)),
      Map.entry("MATCH_IP_SOURCE_PORT_RANGE", Map.of("start", Kind.UINT16, "end", Kind.UINT16)),
      Map.entry("MATCH_IP_DEST_PORT_RANGE", Map.of("start", Kind.UINT16, "end", Kind.UINT16)),
      Map.entry("MATCH_CHARACTERISTICS", Map.of("mask", Kind.HEX64)),
      Map.entry("MATCH_FRAME_SIZE_RANGE", Map.of("start", Kind.UINT16, "end", Kind.UINT16)),
      Map.entry("MATCH_RANDOM", Map.of("probability", Kind.UINT32)),
      Map.entry("MATCH_TAGS_DIFFERENCE", Map.of("id", Kind.UINT32, "value", Kind.UINT32)),
      Map.entry("MATCH_TAGS_BITWISE_AND", Map.of("id", Kind.UINT32, "value", Kind.UINT32)),
      Map.entry("MATCH_TAGS_BITWISE_OR", Map.of("id", Kind.UINT32, "value", Kind.UINT32)),
      Map.entry("MATCH_TAGS_BITWISE_XOR", Map.of("id", Kind.UINT32, "value", Kind.UINT32)),
      Map.entry("MATCH_TAGS_EQUAL", Map.of("id", Kind.UINT32, "value", Kind.UINT32)),
      Map.entry("MATCH_TAG_SENDER", Map.of("id", Kind.UINT32, "value", Kind.UINT32)),
      Map.entry("MATCH_TAG_RECEIVER", Map.of("id", Kind.UINT32, "value", Kind.UINT32)),
      Map.entry("INTEGER_RANGE", integerRange()),
      Map.entry("MATCH_INTEGER_RANGE", integerRange()));

  private static Map<String, Kind> integerRange() {
    return Map.of("start", Kind.HEX64, "end", Kind.HEX64, "idx", Kind.UINT16, "bits", Kind.BITS, "little", Kind.BOOL);
  }

  /** Fields whose absence would leave a rule without its subject (numbers default to 0, as in zerotier-one). */
  private static final Set<Kind> REQUIRED = Set.of(Kind.ADDRESS, Kind.MAC, Kind.IPV4_PREFIX, Kind.IPV6_PREFIX);

  /**
   * Checks the {@code rules}, {@code capabilities} and {@code tags} of a network record that differ from {@code
   * before} (fields a save does not change are not re-judged: records written by zerotier-one stay editable).
   *
   * @throws IllegalArgumentException naming the first offending element
   */
  public static void checkNetwork(Map<String, Object> network, Map<String, Object> before) {
    for (String k : List.of("rules", "capabilities", "tags")) {
      Object v = network.get(k);
      if (v == null || Objects.equals(ControllerJson.write(v), ControllerJson.write(before.get(k)))) {
        continue;
      }
      switch (k) {
        case "rules" -> checkRules(k, v);
        case "capabilities" -> checkCapabilities(k, v);
        default -> checkTags(k, v);
      }
    }
  }

  /** Checks a rule list; {@code path} names it in errors. */
  public static void checkRules(String path, Object rules) {
    List<?> l = list(path, rules);
    for (int i = 0; i < l.size(); i++) {
      checkRule(path + "[" + i + "]", l.get(i));
    }
  }

  /** Checks a capability list. */
  public static void checkCapabilities(String path, Object capabilities) {
    List<?> l = list(path, capabilities);
    for (int i = 0; i < l.size(); i++) {
      String at = path + "[" + i + "]";
      Map<String, Object> c = object(at, l.get(i));
      integer(at + ".id", required(at, c, "id"), U32);
      checkRules(at + ".rules", c.getOrDefault("rules", List.of()));
      optionalBool(at, c, "default");
    }
  }

  /** Checks a tag definition list. */
  public static void checkTags(String path, Object tags) {
    List<?> l = list(path, tags);
    for (int i = 0; i < l.size(); i++) {
      String at = path + "[" + i + "]";
      Map<String, Object> t = object(at, l.get(i));
      integer(at + ".id", required(at, t, "id"), U32);
      Object d = t.get("default");
      if (d != null && d != ControllerJson.NULL) {
        integer(at + ".default", d, U32);
      }
    }
  }

  private static void checkRule(String at, Object o) {
    Map<String, Object> r = object(at, o);
    Object type = required(at, r, "type");
    if (!(type instanceof String t) || !FIELDS.containsKey(t)) {
      throw new IllegalArgumentException(at + ".type: unknown rule type " + shown(type));
    }
    for (Map.Entry<String, Kind> f : FIELDS.get(t).entrySet()) {
      Object v = r.get(f.getKey());
      String fieldAt = at + "." + f.getKey();
      if (v == null) {
        if (REQUIRED.contains(f.getValue())) {
          throw new IllegalArgumentException(fieldAt + ": required for " + t);
        }
        continue;
      }
      check(fieldAt, f.getValue(), v);
    }
    optionalBool(at, r, "not");
    optionalBool(at, r, "or");
    try {
      RuleJson.fromJson(r); // the last word: what the config builder will do with it
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
    }
  }

  private static void check(String at, Kind kind, Object v) {
    switch (kind) {
      case ADDRESS -> {
        try {
          Address.parse(string(at, v));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(at + ": expected a 10-digit ZeroTier address, got " + shown(v), e);
        }
      }
      case MAC -> {
        try {
          MacAddress.parse(string(at, v));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(at + ": expected a MAC address, got " + shown(v), e);
        }
      }
      case IPV4_PREFIX, IPV6_PREFIX -> {
        IpPrefix p;
        try {
          p = IpPrefix.parse(string(at, v));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(at + ": expected an address/bits prefix, got " + shown(v), e);
        }
        if ((p.address() instanceof Inet4Address) != (kind == Kind.IPV4_PREFIX)) {
          throw new IllegalArgumentException(at + ": expected an IPv" + (kind == Kind.IPV4_PREFIX ? 4 : 6)
              + " prefix, got " + shown(v));
        }
      }
      case UINT8 -> integer(at, v, U8);
      case UINT16 -> integer(at, v, U16);
      case UINT32 -> integer(at, v, U32);
      case UINT8_OR_NULL -> {
        if (v != ControllerJson.NULL) {
          integer(at, v, U8);
        }
      }
      case HEX64 -> {
        if (v instanceof String s) {
          if (!s.matches("[0-9a-fA-F]{1,16}")) {
            throw new IllegalArgumentException(at + ": expected up to 16 hex digits, got " + shown(v));
          }
        } else {
          integer(at, v, Long.MAX_VALUE);
        }
      }
      case BITS -> {
        long b = integer(at, v, 64);
        if (b < 1) {
          throw new IllegalArgumentException(at + ": expected an integer 1..64, got " + shown(v));
        }
      }
      case BOOL -> {
        if (!(v instanceof Boolean)) {
          throw new IllegalArgumentException(at + ": expected true or false, got " + shown(v));
        }
      }
    }
  }

  private static long integer(String at, Object v, long max) {
    long n;
    if (v instanceof Long l) {
      n = l;
    } else if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      n = d.longValue();
    } else {
      throw new IllegalArgumentException(at + ": expected an integer 0.." + max + ", got " + shown(v));
    }
    if (n < 0 || n > max) {
      throw new IllegalArgumentException(at + ": expected an integer 0.." + max + ", got " + shown(v));
    }
    return n;
  }

  private static void optionalBool(String at, Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v != null && !(v instanceof Boolean)) {
      throw new IllegalArgumentException(at + "." + k + ": expected true or false, got " + shown(v));
    }
  }

  private static Object required(String at, Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v == null) {
      throw new IllegalArgumentException(at + "." + k + ": required");
    }
    return v;
  }

  private static String string(String at, Object v) {
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(at + ": expected a string, got " + shown(v));
    }
    return s;
  }

  private static List<?> list(String at, Object v) {
    if (!(v instanceof List<?> l)) {
      throw new IllegalArgumentException(at + ": expected a list, got " + shown(v));
    }
    return l;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String at, Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(at + ": expected an object, got " + shown(v));
    }
    return (Map<String, Object>) m;
  }

  /** A value as it reads in JSON, shortened: errors echo what was sent without echoing a whole body. */
  private static String shown(Object v) {
    String s = ControllerJson.write(v);
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
