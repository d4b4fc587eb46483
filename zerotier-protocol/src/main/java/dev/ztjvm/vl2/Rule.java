package dev.ztjvm.vl2;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One flow rule (spec 7.5): a type byte (low 6 bits = type, 0x80 = NOT, 0x40 = OR) and its field. Actions are types
 * 0..15, matches 16..63. Immutable; unknown types keep their raw field so a rule list round-trips byte for byte.
 */
public final class Rule {
  public static final int ACTION_DROP = 0;
  public static final int ACTION_ACCEPT = 1;
  public static final int ACTION_TEE = 2;
  public static final int ACTION_WATCH = 3;
  public static final int ACTION_REDIRECT = 4;
  public static final int ACTION_BREAK = 5;
  public static final int ACTION_PRIORITY = 6;
  /** Types 0..15 are actions; unknown actions are no-ops. */
  public static final int ACTION_MAX_ID = 15;
  public static final int MATCH_SOURCE_ZEROTIER_ADDRESS = 24;
  public static final int MATCH_DEST_ZEROTIER_ADDRESS = 25;
  public static final int MATCH_VLAN_ID = 26;
  public static final int MATCH_VLAN_PCP = 27;
  public static final int MATCH_VLAN_DEI = 28;
  public static final int MATCH_MAC_SOURCE = 29;
  public static final int MATCH_MAC_DEST = 30;
  public static final int MATCH_IPV4_SOURCE = 31;
  public static final int MATCH_IPV4_DEST = 32;
  public static final int MATCH_IPV6_SOURCE = 33;
  public static final int MATCH_IPV6_DEST = 34;
  public static final int MATCH_IP_TOS = 35;
  public static final int MATCH_IP_PROTOCOL = 36;
  public static final int MATCH_ETHERTYPE = 37;
  public static final int MATCH_ICMP = 38;
  public static final int MATCH_IP_SOURCE_PORT_RANGE = 39;
  public static final int MATCH_IP_DEST_PORT_RANGE = 40;
  public static final int MATCH_CHARACTERISTICS = 41;
  public static final int MATCH_FRAME_SIZE_RANGE = 42;
  public static final int MATCH_RANDOM = 43;
  public static final int MATCH_TAGS_DIFFERENCE = 44;
  public static final int MATCH_TAGS_BITWISE_AND = 45;
  public static final int MATCH_TAGS_BITWISE_OR = 46;
  public static final int MATCH_TAGS_BITWISE_XOR = 47;
  public static final int MATCH_TAGS_EQUAL = 48;
  public static final int MATCH_TAG_SENDER = 49;
  public static final int MATCH_TAG_RECEIVER = 50;
  public static final int MATCH_INTEGER_RANGE = 51;

  public static final long CHAR_INBOUND = 0x8000000000000000L;
  public static final long CHAR_MULTICAST = 0x4000000000000000L;
  public static final long CHAR_BROADCAST = 0x2000000000000000L;
  public static final long CHAR_SENDER_IP_AUTHENTICATED = 0x1000000000000000L;
  public static final long CHAR_SENDER_MAC_AUTHENTICATED = 0x0800000000000000L;
  public static final long CHAR_TCP_FIN = 0x001;
  public static final long CHAR_TCP_SYN = 0x002;
  public static final long CHAR_TCP_RST = 0x004;
  public static final long CHAR_TCP_PSH = 0x008;
  public static final long CHAR_TCP_ACK = 0x010;
  public static final long CHAR_TCP_URG = 0x020;
  public static final long CHAR_TCP_ECE = 0x040;
  public static final long CHAR_TCP_CWR = 0x080;
  public static final long CHAR_TCP_NS = 0x100;

  /** Maximum rules in a network config accepted by 1.x ({@code mr} metadata). */
  public static final int MAX_NETWORK_RULES = 1024;
  /** Maximum rules inside one capability. */
  public static final int MAX_CAPABILITY_RULES = 64;

  private final int typeByte;
  private final byte[] field;

  private Rule(int typeByte, byte[] field) {
    this.typeByte = typeByte & 0xff;
    this.field = field;
  }

  /** A rule from its raw type byte and field, validated for known types. */
  public static Rule of(int typeByte, byte[] field) {
    int t = typeByte & 0x3f;
    int need = requiredFieldLength(t);
    if (need > 0 && field.length < need) {
      throw new WireFormatException("rule type " + t + ": field has " + field.length + " bytes, needs " + need);
    }
    return new Rule(typeByte, field.clone());
  }

  /** Field length 1.14 writes for a type (0 for actions without arguments and for unknown types). */
  static int requiredFieldLength(int type) {
    return switch (type) {
      case ACTION_TEE, ACTION_WATCH, ACTION_REDIRECT -> 14;
      case MATCH_SOURCE_ZEROTIER_ADDRESS, MATCH_DEST_ZEROTIER_ADDRESS, MATCH_IPV4_SOURCE, MATCH_IPV4_DEST -> 5;
      case MATCH_VLAN_ID, MATCH_ETHERTYPE -> 2;
      case MATCH_VLAN_PCP, MATCH_VLAN_DEI, MATCH_IP_PROTOCOL -> 1;
      case MATCH_MAC_SOURCE, MATCH_MAC_DEST -> 6;
      case MATCH_IPV6_SOURCE, MATCH_IPV6_DEST -> 17;
      case MATCH_IP_TOS, MATCH_ICMP -> 3;
      case MATCH_IP_SOURCE_PORT_RANGE, MATCH_IP_DEST_PORT_RANGE, MATCH_FRAME_SIZE_RANGE, MATCH_RANDOM -> 4;
      case MATCH_CHARACTERISTICS -> 8;
      case MATCH_TAGS_DIFFERENCE, MATCH_TAGS_BITWISE_AND, MATCH_TAGS_BITWISE_OR, MATCH_TAGS_BITWISE_XOR,
          MATCH_TAGS_EQUAL, MATCH_TAG_SENDER, MATCH_TAG_RECEIVER -> 8;
      case MATCH_INTEGER_RANGE -> 19;
      default -> 0;
    };
  }

  // ---- factories -------------------------------------------------------------------------------------------

  public static Rule drop() {
    return new Rule(ACTION_DROP, new byte[0]);
  }

  public static Rule accept() {
    return new Rule(ACTION_ACCEPT, new byte[0]);
  }

  public static Rule breakAction() {
    return new Rule(ACTION_BREAK, new byte[0]);
  }

  /** PRIORITY (1.14 does not serialise its QoS bucket). */
  public static Rule priority() {
    return new Rule(ACTION_PRIORITY, new byte[0]);
  }

  /** TEE a copy (first {@code length} bytes, 0 = all) to {@code address}. */
  public static Rule tee(long address, int flags, int length) {
    return forward(ACTION_TEE, address, flags, length);
  }

  /** WATCH: like TEE but the copy is flagged as watched (carries the direction). */
  public static Rule watch(long address, int flags, int length) {
    return forward(ACTION_WATCH, address, flags, length);
  }

  public static Rule redirect(long address, int flags) {
    return forward(ACTION_REDIRECT, address, flags, 0);
  }

  private static Rule forward(int type, long address, int flags, int length) {
    byte[] f = new byte[14];
    Bytes.put64(f, 0, address & 0xffffffffffL);
    Bytes.put32(f, 8, flags);
    Bytes.put16(f, 12, length);
    return new Rule(type, f);
  }

  public static Rule matchSourceAddress(long address) {
    return addr(MATCH_SOURCE_ZEROTIER_ADDRESS, address);
  }

  public static Rule matchDestAddress(long address) {
    return addr(MATCH_DEST_ZEROTIER_ADDRESS, address);
  }

  private static Rule addr(int type, long address) {
    byte[] f = new byte[5];
    Bytes.put40(f, 0, address);
    return new Rule(type, f);
  }

  public static Rule matchVlanId(int id) {
    return u16(MATCH_VLAN_ID, id);
  }

  private static Rule u16(int type, int value) {
    byte[] f = new byte[2];
    Bytes.put16(f, 0, value);
    return new Rule(type, f);
  }

  public static Rule matchVlanPcp(int pcp) {
    return new Rule(MATCH_VLAN_PCP, new byte[] {(byte) pcp});
  }

  public static Rule matchVlanDei(int dei) {
    return new Rule(MATCH_VLAN_DEI, new byte[] {(byte) dei});
  }

  public static Rule matchMacSource(long mac) {
    return mac(MATCH_MAC_SOURCE, mac);
  }

  public static Rule matchMacDest(long mac) {
    return mac(MATCH_MAC_DEST, mac);
  }

  private static Rule mac(int type, long mac) {
    byte[] f = new byte[6];
    MacAddress.write(mac, f, 0);
    return new Rule(type, f);
  }

  public static Rule matchIpv4Source(Inet4Address ip, int bits) {
    return ip(MATCH_IPV4_SOURCE, ip.getAddress(), bits);
  }

  public static Rule matchIpv4Dest(Inet4Address ip, int bits) {
    return ip(MATCH_IPV4_DEST, ip.getAddress(), bits);
  }

  public static Rule matchIpv6Source(Inet6Address ip, int bits) {
    return ip(MATCH_IPV6_SOURCE, ip.getAddress(), bits);
  }

  public static Rule matchIpv6Dest(Inet6Address ip, int bits) {
    return ip(MATCH_IPV6_DEST, ip.getAddress(), bits);
  }

  private static Rule ip(int type, byte[] ip, int bits) {
    byte[] f = Arrays.copyOf(ip, ip.length + 1);
    f[ip.length] = (byte) bits;
    return new Rule(type, f);
  }

  /** TOS/traffic class: {@code (tos & mask)} in [start, end]. */
  public static Rule matchIpTos(int mask, int start, int end) {
    return new Rule(MATCH_IP_TOS, new byte[] {(byte) mask, (byte) start, (byte) end});
  }

  public static Rule matchIpProtocol(int protocol) {
    return new Rule(MATCH_IP_PROTOCOL, new byte[] {(byte) protocol});
  }

  public static Rule matchEthertype(int etherType) {
    return u16(MATCH_ETHERTYPE, etherType);
  }

  /** ICMP/ICMPv6 type, and code if {@code code >= 0}. */
  public static Rule matchIcmp(int type, int code) {
    return new Rule(MATCH_ICMP, new byte[] {(byte) type, (byte) Math.max(code, 0), (byte) (code >= 0 ? 1 : 0)});
  }

  public static Rule matchSourcePortRange(int start, int end) {
    return range(MATCH_IP_SOURCE_PORT_RANGE, start, end);
  }

  public static Rule matchDestPortRange(int start, int end) {
    return range(MATCH_IP_DEST_PORT_RANGE, start, end);
  }

  public static Rule matchFrameSizeRange(int start, int end) {
    return range(MATCH_FRAME_SIZE_RANGE, start, end);
  }

  private static Rule range(int type, int start, int end) {
    byte[] f = new byte[4];
    Bytes.put16(f, 0, start);
    Bytes.put16(f, 2, end);
    return new Rule(type, f);
  }

  /** Matches when any of the given characteristic bits ({@code CHAR_*}) is set for the frame. */
  public static Rule matchCharacteristics(long mask) {
    byte[] f = new byte[8];
    Bytes.put64(f, 0, mask);
    return new Rule(MATCH_CHARACTERISTICS, f);
  }

  /** Matches with probability {@code probability / (2^32 - 1)} (unsigned 32-bit). */
  public static Rule matchRandom(long probability) {
    byte[] f = new byte[4];
    Bytes.put32(f, 0, probability);
    return new Rule(MATCH_RANDOM, f);
  }

  /** One of the tag matches ({@code MATCH_TAGS_*} / {@code MATCH_TAG_SENDER} / {@code MATCH_TAG_RECEIVER}). */
  public static Rule matchTag(int type, long tagId, long value) {
    if (type < MATCH_TAGS_DIFFERENCE || type > MATCH_TAG_RECEIVER) {
      throw new IllegalArgumentException("not a tag match type: " + type);
    }
    byte[] f = new byte[8];
    Bytes.put32(f, 0, tagId);
    Bytes.put32(f, 4, value);
    return new Rule(type, f);
  }

  /**
   * Integer at {@code byteIndex} of the Ethernet payload, {@code bits} wide (1..64), big- or little-endian, in
   * [start, start + range].
   */
  public static Rule matchIntegerRange(long start, long range, int byteIndex, int bits, boolean littleEndian) {
    if (bits < 1 || bits > 64) {
      throw new IllegalArgumentException("bits must be 1..64");
    }
    byte[] f = new byte[19];
    Bytes.put64(f, 0, start);
    Bytes.put64(f, 8, start + range);
    Bytes.put16(f, 16, byteIndex);
    f[18] = (byte) ((bits - 1) | (littleEndian ? 0x80 : 0));
    return new Rule(MATCH_INTEGER_RANGE, f);
  }

  /** This rule with the NOT bit toggled (matches only). */
  public Rule inverted() {
    return new Rule(typeByte ^ 0x80, field);
  }

  /** This rule OR-ed with the running set instead of AND-ed (matches only). */
  public Rule orWithPrevious() {
    return new Rule(typeByte | 0x40, field);
  }

  // ---- accessors -------------------------------------------------------------------------------------------

  /** Rule type (low 6 bits). */
  public int type() {
    return typeByte & 0x3f;
  }

  /** Raw type byte with flags. */
  public int typeByte() {
    return typeByte;
  }

  public boolean isNot() {
    return (typeByte & 0x80) != 0;
  }

  public boolean isOr() {
    return (typeByte & 0x40) != 0;
  }

  public boolean isAction() {
    return type() <= ACTION_MAX_ID;
  }

  /** Copy of the field bytes. */
  public byte[] field() {
    return field.clone();
  }

  int fieldLength() {
    return field.length;
  }

  int u8(int i) {
    return field[i] & 0xff;
  }

  int u16(int i) {
    return Bytes.u16(field, i);
  }

  long u32(int i) {
    return Bytes.u32(field, i);
  }

  long u64(int i) {
    return Bytes.u64(field, i);
  }

  byte[] raw() {
    return field;
  }

  /** Target address of TEE/WATCH/REDIRECT, or the address of an address match. */
  public long address() {
    int t = type();
    if (t == ACTION_TEE || t == ACTION_WATCH || t == ACTION_REDIRECT) {
      return u64(0) & 0xffffffffffL;
    }
    if (t == MATCH_SOURCE_ZEROTIER_ADDRESS || t == MATCH_DEST_ZEROTIER_ADDRESS) {
      return Bytes.u40(field, 0);
    }
    throw new IllegalStateException("rule type " + t + " has no address");
  }

  // ---- list codec ------------------------------------------------------------------------------------------

  /**
   * Parses concatenated rules, at most {@code maxRules} (1.x stops reading after the maximum).
   *
   * @throws WireFormatException if a rule is truncated or a known type has a too-short field
   */
  public static List<Rule> parseList(byte[] b, int off, int len, int maxRules) {
    int end = off + len;
    WireReader.requireRange(b, off, len, b.length, "rules");
    List<Rule> out = new ArrayList<>();
    int p = off;
    while (p < end && out.size() < maxRules) {
      WireReader.requireRange(b, p, 2, end, "rule header");
      int t = b[p] & 0xff;
      int l = b[p + 1] & 0xff;
      WireReader.requireRange(b, p + 2, l, end, "rule field");
      out.add(of(t, Arrays.copyOfRange(b, p + 2, p + 2 + l)));
      p += 2 + l;
    }
    return Collections.unmodifiableList(out);
  }

  /** Serialises rules: type byte, field length, field. */
  public static byte[] toBytes(List<Rule> rules) {
    WireWriter out = new WireWriter();
    writeList(out, rules);
    return out.toByteArray();
  }

  static void writeList(WireWriter out, List<Rule> rules) {
    for (Rule r : rules) {
      out.u8(r.typeByte).u8(r.field.length).bytes(r.field);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Rule r && r.typeByte == typeByte && Arrays.equals(r.field, field);
  }

  @Override
  public int hashCode() {
    return typeByte * 31 + Arrays.hashCode(field);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (isNot()) {
      sb.append("not ");
    }
    if (isOr()) {
      sb.append("or ");
    }
    sb.append("rule#").append(type());
    if (field.length > 0) {
      sb.append('[').append(java.util.HexFormat.of().formatHex(field)).append(']');
    }
    return sb.toString();
  }
}
