package dev.ztjvm.vl2;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.netstack.ethernet.MacAddress;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The 1.x flow rules engine: evaluates a network's rules and capabilities against one Ethernet frame in the
 * outbound or inbound direction, with the semantics of ZeroTier One 1.14 ({@code Network::_doZtFilter} and
 * {@code filterOutgoingPacket}/{@code filterIncomingPacket}).
 *
 * <p>Frames are given as ethertype plus Ethernet payload (the bytes after the 14-byte header; VLAN ID is 0 in 1.x).
 * No allocation and no locks per frame; a single instance may be shared only if its {@link RandomSource} is
 * thread-safe.
 */
public final class RuleEngine {
  /** The rule list used when a config carries none: accept everything. */
  public static final List<Rule> DEFAULT_RULES = List.of(Rule.accept());

  /** Flag 0x08 of the config: result of a MATCH type this engine does not know. */
  public static final long FLAG_UNSUPPORTED_MATCH_RESULT = 0x08;

  /** Randomness for MATCH_RANDOM: a uniformly distributed unsigned 32-bit value per call. */
  @FunctionalInterface
  public interface RandomSource {
    int nextInt();
  }

  /** Tag values by tag ID; return -1 when the tag is not held. */
  @FunctionalInterface
  public interface TagLookup {
    /** The tag's 32-bit value (0..2^32-1) or -1 if absent. */
    long tagValue(long tagId);

    TagLookup NONE = id -> -1;
  }

  /** Certificates of ownership held for the sender (inbound) or by this node (outbound). */
  public interface Ownership {
    /** Whether the sender owns this IP ({@code len} 4 or 16 bytes at {@code off}). */
    boolean ownsIp(byte[] ip, int off, int len);

    /** Whether the sender owns this MAC. */
    boolean ownsMac(long mac);

    Ownership NONE = new Ownership() {
      @Override
      public boolean ownsIp(byte[] ip, int off, int len) {
        return false;
      }

      @Override
      public boolean ownsMac(long mac) {
        return false;
      }
    };

    /** Ownership by any of {@code certificates} (copied: later changes to the collection are not seen). */
    static Ownership of(Collection<CertificateOfOwnership> certificates) {
      List<CertificateOfOwnership> coos = List.copyOf(certificates);
      return new Ownership() {
        @Override
        public boolean ownsIp(byte[] ip, int off, int len) {
          for (CertificateOfOwnership c : coos) {
            if (c.ownsIp(ip, off, len)) {
              return true;
            }
          }
          return false;
        }

        @Override
        public boolean ownsMac(long mac) {
          for (CertificateOfOwnership c : coos) {
            if (c.ownsMac(mac)) {
              return true;
            }
          }
          return false;
        }
      };
    }
  }

  /**
   * What the rules may consult besides the frame.
   *
   * @param rules the network's rules ({@link #DEFAULT_RULES} when the config has none)
   * @param capabilities capability rule lists to try when the rules do not decide: outbound our own capabilities,
   *     inbound the sender's capabilities we hold
   * @param localTags our own tags
   * @param remoteTags the peer's tags we hold (outbound: the receiver's, inbound: the sender's), or null if we hold
   *     no membership record for it
   * @param ownership certificates of ownership: outbound ours, inbound the sender's
   * @param configFlags the config's {@code f} value (only 0x08 matters here)
   */
  public record Context(
      List<Rule> rules,
      List<List<Rule>> capabilities,
      TagLookup localTags,
      @Nullable TagLookup remoteTags,
      Ownership ownership,
      long configFlags) {}

  private static final int NO_MATCH = 0;
  private static final int DROP = 1;
  private static final int REDIRECT = 2;
  private static final int ACCEPT = 3;
  private static final int SUPER_ACCEPT = 4;

  private final long selfAddress;
  private final RandomSource random;

  // per-evaluation outputs of evaluate(); single-threaded use only
  private long ztFinalDest;
  private long cc;
  private int ccLength;
  private boolean ccWatch;
  private int qos;

  /**
   * @param selfAddress this node's ZeroTier address (TEE/REDIRECT targets equal to it are handled specially)
   * @param random randomness for MATCH_RANDOM
   */
  public RuleEngine(long selfAddress, RandomSource random) {
    this.selfAddress = selfAddress;
    this.random = random;
  }

  /**
   * Filters a frame this node sends. {@code ztDest} is the destination node (0 for multicast).
   *
   * @return {@code out}, filled in
   */
  public FilterResult filterOutbound(Context ctx, long ztSource, long ztDest, long macSource, long macDest,
      int etherType, int vlanId, byte[] payload, int off, int len, FilterResult out) {
    return filter(false, ctx, ztSource, ztDest, macSource, macDest, etherType, vlanId, payload, off, len, out);
  }

  /**
   * Filters a frame received from {@code ztSource}. {@code ztDest} is this node (or the original destination of a
   * teed/redirected frame).
   *
   * @return {@code out}, filled in
   */
  public FilterResult filterInbound(Context ctx, long ztSource, long ztDest, long macSource, long macDest,
      int etherType, int vlanId, byte[] payload, int off, int len, FilterResult out) {
    return filter(true, ctx, ztSource, ztDest, macSource, macDest, etherType, vlanId, payload, off, len, out);
  }

  /**
   * The network's rules, then (if they do not decide) each capability's rules until one accepts. As in 1.x, a
   * capability's super-accept counts as super-accept inbound only, and only outbound frames take a QoS bucket.
   */
  private FilterResult filter(boolean inbound, Context ctx, long ztSource, long ztDest, long macSource,
      long macDest, int etherType, int vlanId, byte[] payload, int off, int len, FilterResult out) {
    out.reset();
    ztFinalDest = ztDest;
    cc = 0;
    qos = -1;
    int r = evaluate(ctx, ctx.rules(), inbound, ztSource, macSource, macDest, etherType, vlanId, payload, off, len);
    long mainCc = cc;
    int mainCcLength = ccLength;
    boolean mainCcWatch = ccWatch;
    int accept = 0;
    switch (r) {
      case NO_MATCH -> {
        List<List<Rule>> caps = ctx.capabilities();
        for (int c = 0; c < caps.size(); c++) {
          ztFinalDest = ztDest;
          cc = 0;
          int cr = evaluate(ctx, caps.get(c), inbound, ztSource, macSource, macDest, etherType, vlanId, payload, off,
              len);
          if (cr == REDIRECT || cr == ACCEPT) {
            accept = 1;
          } else if (cr == SUPER_ACCEPT) {
            accept = inbound ? 2 : 1;
          }
          if (accept != 0) {
            out.capabilityIndex = c;
            if (cc != 0) {
              out.addTee(cc, ccLength, ccWatch);
            }
            break;
          }
        }
      }
      case DROP -> {
        return out;
      }
      case REDIRECT, ACCEPT -> accept = 1;
      default -> accept = 2;
    }
    if (accept == 0) {
      return out;
    }
    out.accepted = true;
    out.superAccepted = accept == 2;
    if (!inbound) {
      out.qosBucket = qos;
    }
    if (mainCc != 0) {
      out.addTee(mainCc, mainCcLength, mainCcWatch);
    }
    if (ztFinalDest != ztDest && ztFinalDest != 0) {
      out.redirectTo = ztFinalDest;
    }
    return out;
  }

  private int evaluate(Context ctx, List<Rule> rules, boolean inbound, long ztSource, long macSource, long macDest,
      int etherType, int vlanId, byte[] f, int off, int len) {
    boolean superAccept = false;
    boolean setMatches = true;
    boolean skipDrop = false;
    long ownershipMask = 1; // 1 = not computed yet
    for (int rn = 0, n = rules.size(); rn < n; rn++) {
      Rule rule = rules.get(rn);
      int rt = rule.type();
      if (rt <= Rule.ACTION_MAX_ID) {
        if (setMatches) {
          switch (rt) {
            case Rule.ACTION_PRIORITY:
              qos = 0; // 1.14 does not serialise the bucket, so a received PRIORITY always means bucket 0
              return ACCEPT;
            case Rule.ACTION_DROP:
              if (skipDrop) {
                skipDrop = false;
                continue;
              }
              return DROP;
            case Rule.ACTION_ACCEPT:
              return superAccept ? SUPER_ACCEPT : ACCEPT;
            case Rule.ACTION_TEE:
            case Rule.ACTION_WATCH:
            case Rule.ACTION_REDIRECT: {
              long fwd = rule.address();
              if (fwd == ztSource) {
                // no-op: the source is the target
              } else if (fwd == selfAddress) {
                if (inbound) {
                  return SUPER_ACCEPT;
                }
              } else if (fwd == ztFinalDest) {
                // no-op: already going there
              } else if (rt == Rule.ACTION_REDIRECT) {
                ztFinalDest = fwd;
                return REDIRECT;
              } else {
                cc = fwd;
                int l = rule.u16(12);
                ccLength = (l != 0) ? Math.min(len, l) : len;
                ccWatch = rt == Rule.ACTION_WATCH;
              }
              continue;
            }
            case Rule.ACTION_BREAK:
              return NO_MATCH;
            default:
              continue; // unknown actions are no-ops
          }
        } else {
          if (inbound && (rt == Rule.ACTION_TEE || rt == Rule.ACTION_WATCH || rt == Rule.ACTION_REDIRECT)
              && rule.address() == selfAddress) {
            superAccept = true;
          }
          setMatches = true;
          continue;
        }
      }
      if (!setMatches && !rule.isOr()) {
        continue; // AND with false stays false
      }
      boolean not = rule.isNot();
      boolean hardYes = !not; // a value that, after NOT, means "matches"
      boolean hardNo = not; // a value that, after NOT, means "does not match"
      boolean m;
      switch (rt) {
        case Rule.MATCH_SOURCE_ZEROTIER_ADDRESS -> m = rule.address() == ztSource;
        case Rule.MATCH_DEST_ZEROTIER_ADDRESS -> m = rule.address() == ztFinalDest;
        case Rule.MATCH_VLAN_ID -> m = rule.u16(0) == (vlanId & 0xffff);
        case Rule.MATCH_VLAN_PCP -> m = rule.u8(0) == 0; // not supported by 1.x: frames have PCP 0
        case Rule.MATCH_VLAN_DEI -> m = rule.u8(0) == 0;
        case Rule.MATCH_MAC_SOURCE -> m = MacAddress.read(rule.raw(), 0) == macSource;
        case Rule.MATCH_MAC_DEST -> m = MacAddress.read(rule.raw(), 0) == macDest;
        case Rule.MATCH_IPV4_SOURCE, Rule.MATCH_IPV4_DEST -> {
          if (etherType == 0x0800 && len >= 20) {
            int at = off + (rt == Rule.MATCH_IPV4_SOURCE ? 12 : 16);
            m = IpPrefix.prefixEquals(rule.raw(), 0, f, at, Math.min(rule.u8(4), 32));
          } else {
            m = hardNo;
          }
        }
        case Rule.MATCH_IPV6_SOURCE, Rule.MATCH_IPV6_DEST -> {
          if (etherType == 0x86dd && len >= 40) {
            int at = off + (rt == Rule.MATCH_IPV6_SOURCE ? 8 : 24);
            m = ipv6Contains(rule.raw(), rule.u8(16), f, at);
          } else {
            m = hardNo;
          }
        }
        case Rule.MATCH_IP_TOS -> {
          int tos;
          if (etherType == 0x0800 && len >= 20) {
            tos = f[off + 1] & 0xff;
          } else if (etherType == 0x86dd && len >= 40) {
            tos = ((f[off] << 4) & 0xf0) | ((f[off + 1] >> 4) & 0x0f);
          } else {
            tos = -1;
          }
          if (tos < 0) {
            m = hardNo;
          } else {
            int masked = tos & rule.u8(0);
            m = masked >= rule.u8(1) && masked <= rule.u8(2);
          }
        }
        case Rule.MATCH_IP_PROTOCOL -> {
          if (etherType == 0x0800 && len >= 20) {
            m = rule.u8(0) == (f[off + 9] & 0xff);
          } else if (etherType == 0x86dd) {
            long pp = ipv6Payload(f, off, len);
            m = pp >= 0 ? rule.u8(0) == (int) (pp & 0xff) : hardNo;
          } else {
            m = hardNo;
          }
        }
        case Rule.MATCH_ETHERTYPE -> m = rule.u16(0) == (etherType & 0xffff);
        case Rule.MATCH_ICMP -> m = matchIcmp(rule, etherType, f, off, len, hardYes, hardNo);
        case Rule.MATCH_IP_SOURCE_PORT_RANGE, Rule.MATCH_IP_DEST_PORT_RANGE ->
          m = matchPort(rule, rt == Rule.MATCH_IP_DEST_PORT_RANGE, etherType, f, off, len, hardNo);
        case Rule.MATCH_CHARACTERISTICS -> {
          long cf = inbound ? Rule.CHAR_INBOUND : 0;
          if (MacAddress.isMulticast(macDest)) {
            cf |= Rule.CHAR_MULTICAST;
          }
          if (MacAddress.isBroadcast(macDest)) {
            cf |= Rule.CHAR_BROADCAST;
          }
          if (ownershipMask == 1) {
            ownershipMask = ownership(ctx.ownership(), etherType, macSource, f, off, len);
          }
          cf |= ownershipMask;
          cf |= tcpFlags(etherType, f, off, len);
          m = (cf & rule.u64(0)) != 0;
        }
        case Rule.MATCH_FRAME_SIZE_RANGE -> m = len >= rule.u16(0) && len <= rule.u16(2);
        case Rule.MATCH_RANDOM -> m = Integer.toUnsignedLong(random.nextInt()) <= rule.u32(0);
        case Rule.MATCH_TAGS_DIFFERENCE, Rule.MATCH_TAGS_BITWISE_AND, Rule.MATCH_TAGS_BITWISE_OR,
            Rule.MATCH_TAGS_BITWISE_XOR, Rule.MATCH_TAGS_EQUAL -> {
          long id = rule.u32(0);
          long want = rule.u32(4);
          long ltv = ctx.localTags().tagValue(id);
          if (ltv >= 0) {
            TagLookup remote = ctx.remoteTags();
            long rtv = remote == null ? -1 : remote.tagValue(id);
            if (rtv >= 0) {
              m = switch (rt) {
                case Rule.MATCH_TAGS_DIFFERENCE -> Math.abs(ltv - rtv) <= want;
                case Rule.MATCH_TAGS_BITWISE_AND -> (ltv & rtv) == want;
                case Rule.MATCH_TAGS_BITWISE_OR -> (ltv | rtv) == want;
                case Rule.MATCH_TAGS_BITWISE_XOR -> (ltv ^ rtv) == want;
                default -> ltv == want && rtv == want;
              };
            } else if (inbound && !superAccept) {
              m = hardNo;
            } else {
              // Outbound we may not know the receiver's tags yet: it filters inbound. Do not drop on this set.
              skipDrop = true;
              m = hardYes;
            }
          } else {
            m = hardNo;
          }
        }
        case Rule.MATCH_TAG_SENDER, Rule.MATCH_TAG_RECEIVER -> {
          long id = rule.u32(0);
          long want = rule.u32(4);
          if (superAccept) {
            skipDrop = true;
            m = hardYes;
          } else if ((rt == Rule.MATCH_TAG_SENDER && inbound) || (rt == Rule.MATCH_TAG_RECEIVER && !inbound)) {
            TagLookup remote = ctx.remoteTags();
            long rtv = remote == null ? -1 : remote.tagValue(id);
            if (rtv >= 0) {
              m = rtv == want;
            } else if (rt == Rule.MATCH_TAG_RECEIVER) {
              skipDrop = true;
              m = hardYes;
            } else {
              m = hardNo;
            }
          } else {
            long ltv = ctx.localTags().tagValue(id);
            m = ltv >= 0 ? ltv == want : hardNo;
          }
        }
        case Rule.MATCH_INTEGER_RANGE -> m = matchIntegerRange(rule, f, off, len);
        default -> m = (ctx.configFlags() & FLAG_UNSUPPORTED_MATCH_RESULT) != 0;
      }
      boolean effective = m ^ not;
      if (rule.isOr()) {
        setMatches |= effective;
      } else {
        setMatches &= effective;
      }
    }
    return NO_MATCH;
  }

  /**
   * Walks IPv6 extension headers (hop-by-hop, routing, destination options, mobility) of the IPv6 packet at
   * {@code off}. Returns {@code (payloadPos << 8) | protocol} with payloadPos relative to {@code off}, or -1 when
   * the packet is invalid.
   */
  static long ipv6Payload(byte[] f, int off, int len) {
    if (len < 40) {
      return -1;
    }
    int pos = 40;
    int proto = f[off + 6] & 0xff;
    while (pos <= len) {
      switch (proto) {
        case 0, 43, 60, 135 -> {
          if (pos + 8 > len) {
            return -1;
          }
          proto = f[off + pos] & 0xff;
          pos += (f[off + pos + 1] & 0xff) * 8 + 8;
        }
        default -> {
          return ((long) pos << 8) | proto;
        }
      }
    }
    return -1;
  }

  private static boolean matchIcmp(Rule rule, int etherType, byte[] f, int off, int len, boolean hardYes,
      boolean hardNo) {
    int at;
    if (etherType == 0x0800 && len >= 20) {
      if ((f[off + 9] & 0xff) != 1) {
        return hardNo;
      }
      at = (f[off] & 0xf) * 4;
    } else if (etherType == 0x86dd) {
      long pp = ipv6Payload(f, off, len);
      if (pp < 0 || (pp & 0xff) != 0x3a) {
        return hardNo;
      }
      at = (int) (pp >>> 8);
    } else {
      return hardNo;
    }
    if (len < at + 2) {
      return hardNo;
    }
    if (rule.u8(0) != (f[off + at] & 0xff)) {
      return hardNo;
    }
    if ((rule.u8(2) & 0x01) != 0) {
      return (f[off + at + 1] & 0xff) == rule.u8(1);
    }
    return hardYes;
  }

  private static boolean matchPort(Rule rule, boolean dest, int etherType, byte[] f, int off, int len,
      boolean hardNo) {
    int p = -1;
    if (etherType == 0x0800 && len >= 20) {
      int hl = 4 * (f[off] & 0xf);
      int proto = f[off + 9] & 0xff;
      if (isPortProtocol(proto) && len > hl + 4) {
        p = Bytes.u16(f, off + hl + (dest ? 2 : 0));
      }
      return p >= 0 && p >= rule.u16(0) && p <= rule.u16(2);
    } else if (etherType == 0x86dd) {
      long pp = ipv6Payload(f, off, len);
      if (pp < 0) {
        return hardNo;
      }
      int pos = (int) (pp >>> 8);
      if (isPortProtocol((int) (pp & 0xff)) && len > pos + 4) {
        p = Bytes.u16(f, off + pos + (dest ? 2 : 0));
      }
      // 1.14 quirk: on IPv6 port 0 never matches
      return p > 0 && p >= rule.u16(0) && p <= rule.u16(2);
    }
    return hardNo;
  }

  private static boolean isPortProtocol(int proto) {
    return proto == 0x06 || proto == 0x11 || proto == 0x84 || proto == 0x88;
  }

  private static long tcpFlags(int etherType, byte[] f, int off, int len) {
    if (etherType == 0x0800 && len >= 20 && (f[off + 9] & 0xff) == 6) {
      int hl = 4 * (f[off] & 0xf);
      if (len >= hl + 14) {
        return (f[off + hl + 13] & 0xffL) | ((f[off + hl + 12] & 0x0fL) << 8);
      }
    } else if (etherType == 0x86dd) {
      long pp = ipv6Payload(f, off, len);
      if (pp >= 0 && (pp & 0xff) == 6) {
        int pos = (int) (pp >>> 8);
        if (len > pos + 14) {
          return (f[off + pos + 13] & 0xffL) | ((f[off + pos + 12] & 0x0fL) << 8);
        }
      }
    }
    return 0;
  }

  private static long ownership(Ownership own, int etherType, long macSource, byte[] f, int off, int len) {
    long mask = 0;
    int ipAt = -1;
    int ipLen = 0;
    if (etherType == 0x0800 && len >= 20) {
      ipAt = off + 12;
      ipLen = 4;
    } else if (etherType == 0x86dd && len >= 40) {
      if (len >= 40 + 8 + 16 && (f[off + 6] & 0xff) == 0x3a
          && ((f[off + 40] & 0xff) == 0x87 || (f[off + 40] & 0xff) == 0x88)) {
        if ((f[off + 40] & 0xff) == 0x87) {
          // neighbor solicitations carry no reliable source: treated as authenticated, as 1.x does
          mask |= Rule.CHAR_SENDER_IP_AUTHENTICATED;
        } else {
          ipAt = off + 48; // neighbor advertisement: the target address
          ipLen = 16;
        }
      } else {
        ipAt = off + 8;
        ipLen = 16;
      }
    } else if (etherType == 0x0806 && len >= 28) {
      ipAt = off + 14; // ARP sender protocol address
      ipLen = 4;
    }
    if (ipAt >= 0 && !allZero(f, ipAt, ipLen) && own.ownsIp(f, ipAt, ipLen)) {
      mask |= Rule.CHAR_SENDER_IP_AUTHENTICATED;
    }
    if (own.ownsMac(macSource)) {
      mask |= Rule.CHAR_SENDER_MAC_AUTHENTICATED;
    }
    return mask;
  }

  /** 1.14 semantics: the masked packet address must equal the rule's address as written (host bits included). */
  private static boolean ipv6Contains(byte[] ruleIp, int bits, byte[] f, int at) {
    int b = Math.min(bits, 128);
    for (int i = 0; i < 16; i++) {
      int maskBits = Math.max(0, Math.min(8, b - 8 * i));
      int m = (0xff << (8 - maskBits)) & 0xff;
      if ((f[at + i] & m) != (ruleIp[i] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  private static boolean allZero(byte[] b, int off, int len) {
    for (int i = 0; i < len; i++) {
      if (b[off + i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchIntegerRange(Rule rule, byte[] f, int off, int len) {
    int format = rule.u8(18);
    int bits = (format & 63) + 1;
    int bytes = (bits + 7) / 8;
    int idx0 = rule.u16(16);
    long v = 0;
    if ((format & 0x80) == 0) {
      int idx = idx0 + (8 - bytes);
      int eof = idx + bytes;
      if (eof <= len) {
        while (idx < eof) {
          v = (v << 8) | (f[off + idx++] & 0xff);
        }
      }
      v &= -1L >>> (64 - bits);
    } else {
      int idx = idx0;
      int eof = idx + bytes;
      if (eof <= len) {
        while (idx < eof) {
          v = (v >>> 8) | ((f[off + idx++] & 0xffL) << 56);
        }
      }
      v >>>= (64 - bits);
    }
    long start = rule.u64(0);
    // 1.14 keeps only a 32-bit range (end - start) and compares against start + range with 64-bit wrap-around
    long range = (rule.u64(8) - start) & 0xffffffffL;
    return Long.compareUnsigned(v, start) >= 0 && Long.compareUnsigned(v, start + range) <= 0;
  }
}
