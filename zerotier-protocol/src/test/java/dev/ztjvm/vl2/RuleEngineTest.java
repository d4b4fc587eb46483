package dev.ztjvm.vl2;

import static dev.ztjvm.vl2.Frames.ARP;
import static dev.ztjvm.vl2.Frames.IPV4;
import static dev.ztjvm.vl2.Frames.IPV6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.testing.SharedData;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RuleEngineTest {
  static final long SELF = 0x1111111111L;
  static final long PEER = 0x2222222222L;
  static final long THIRD = 0x3333333333L;
  static final long NWID = 0x8056c2e21c000001L;
  static final long SELF_MAC = NodeMac.forNode(NWID, SELF);
  static final long PEER_MAC = NodeMac.forNode(NWID, PEER);

  /** A frame as the rules see it. */
  record Frame(long ztSrc, long ztDst, long macSrc, long macDst, int etherType, byte[] payload) {}

  static Frame out(int etherType, byte[] payload) {
    return new Frame(SELF, PEER, SELF_MAC, PEER_MAC, etherType, payload);
  }

  static Frame in(int etherType, byte[] payload) {
    return new Frame(PEER, SELF, PEER_MAC, SELF_MAC, etherType, payload);
  }

  // real frames
  static final byte[] TCP22_SYN = Frames.ipv4("10.0.0.2", "10.0.0.1", 6, 0, Frames.tcp(40000, 22, 0x02, 0));
  static final byte[] TCP22_ACK = Frames.ipv4("10.0.0.2", "10.0.0.1", 6, 0, Frames.tcp(40000, 22, 0x10, 10));
  static final byte[] TCP80_SYN = Frames.ipv4("10.0.0.2", "10.0.0.1", 6, 0, Frames.tcp(40001, 80, 0x02, 0));
  static final byte[] TCP80_SYNACK = Frames.ipv4("10.0.0.1", "10.0.0.2", 6, 0, Frames.tcp(80, 40001, 0x12, 0));
  static final byte[] UDP22 = Frames.ipv4("10.0.0.2", "10.0.0.1", 17, 0, Frames.udp(5353, 22, 4));
  static final byte[] UDP53 = Frames.ipv4("192.168.1.7", "10.0.0.1", 17, 0xb8, Frames.udp(5353, 53, 20));
  static final byte[] ICMP_ECHO = Frames.ipv4("10.0.0.2", "10.0.0.1", 1, 0, Frames.icmp(8, 0));
  static final byte[] ICMP_UNREACH3 = Frames.ipv4("10.0.0.2", "10.0.0.1", 1, 0, Frames.icmp(3, 3));
  static final byte[] V6_TCP22 = Frames.ipv6("fd00::2", "fd00::1", 6, 0, Frames.tcp(40000, 22, 0x02, 0));
  static final byte[] V6_TCP22_HBH = Frames.ipv6HopByHop("fd00::2", "fd00::1", 6, Frames.tcp(40000, 22, 0x02, 0));
  static final byte[] V6_UDP0 = Frames.ipv6("fd00::2", "fd00::1", 17, 0, Frames.udp(0, 0, 0));
  static final byte[] V6_PING = Frames.ipv6("fd00::2", "fd00::1", 58, 0x2e, Frames.icmp(128, 0));
  static final byte[] ARP_REQ = Frames.arpRequest(PEER_MAC, "10.0.0.2", "10.0.0.1");
  static final byte[] NS = Frames.ndp(135, "::", "ff02::1:ff00:1", "fd00::1");
  static final byte[] NA = Frames.ndp(136, "fd00::2", "fd00::1", "fd00::2");
  static final byte[] LLDP = new byte[46];

  /** Rules that drop SSH (TCP dport 22, IPv4 and IPv6) and accept everything else. */
  static final List<Rule> DROP_SSH = List.of(Rule.matchIpProtocol(6), Rule.matchDestPortRange(22, 22), Rule.drop(),
      Rule.accept());

  static final List<Rule> IP_ARP_V6_ONLY = Rule.parseList(SharedData.hex("a5020800a5020806a50286dd00000100"), 0, 16,
      1024);

  private final RuleEngine engine = new RuleEngine(SELF, () -> 0x80000000);

  FilterResult run(List<Rule> rules, boolean inbound, Frame f) {
    return run(new RuleEngine.Context(rules, List.of(), RuleEngine.TagLookup.NONE, null, RuleEngine.Ownership.NONE,
        0), inbound, f);
  }

  FilterResult run(RuleEngine.Context ctx, boolean inbound, Frame f) {
    FilterResult r = new FilterResult();
    if (inbound) {
      return engine.filterInbound(ctx, f.ztSrc, f.ztDst, f.macSrc, f.macDst, f.etherType, 0, f.payload, 0,
          f.payload.length, r);
    }
    return engine.filterOutbound(ctx, f.ztSrc, f.ztDst, f.macSrc, f.macDst, f.etherType, 0, f.payload, 0,
        f.payload.length, r);
  }

  /** One row of the table: rules, direction, frame, expected verdict. */
  record Row(String name, List<Rule> rules, boolean inbound, Frame frame, boolean accept) {}

  static Row row(String name, List<Rule> rules, boolean inbound, Frame frame, boolean accept) {
    return new Row(name, rules, inbound, frame, accept);
  }

  static List<Rule> dropIf(Rule... matches) {
    List<Rule> l = new ArrayList<>(List.of(matches));
    l.add(Rule.drop());
    l.add(Rule.accept());
    return l;
  }

  static List<Rule> acceptOnlyIf(Rule... matches) {
    List<Rule> l = new ArrayList<>(List.of(matches));
    l.add(Rule.accept());
    return l; // falls off the end (drop) otherwise
  }

  static Inet4Address v4(String s) {
    return (Inet4Address) IpPrefix.parseIp(s);
  }

  static Inet6Address v6(String s) {
    return (Inet6Address) IpPrefix.parseIp(s);
  }

  @Test
  void matchTable() {
    List<Row> rows = List.of(
        row("default accepts tcp", RuleEngine.DEFAULT_RULES, false, out(IPV4, TCP22_SYN), true),
        row("default accepts lldp in", RuleEngine.DEFAULT_RULES, true, in(0x88cc, LLDP), true),
        row("empty rules drop", List.of(), false, out(IPV4, TCP80_SYN), false),
        row("ip/arp/v6 only: ipv4", IP_ARP_V6_ONLY, false, out(IPV4, UDP53), true),
        row("ip/arp/v6 only: arp", IP_ARP_V6_ONLY, true, in(ARP, ARP_REQ), true),
        row("ip/arp/v6 only: ipv6", IP_ARP_V6_ONLY, true, in(IPV6, V6_PING), true),
        row("ip/arp/v6 only: lldp", IP_ARP_V6_ONLY, false, out(0x88cc, LLDP), false),
        row("drop ssh: tcp 22", DROP_SSH, false, out(IPV4, TCP22_SYN), false),
        row("drop ssh: tcp 22 inbound", DROP_SSH, true, in(IPV4, TCP22_ACK), false),
        row("drop ssh: tcp 80", DROP_SSH, false, out(IPV4, TCP80_SYN), true),
        row("drop ssh: udp 22", DROP_SSH, false, out(IPV4, UDP22), true),
        row("drop ssh: v6 tcp 22", DROP_SSH, true, in(IPV6, V6_TCP22), false),
        row("drop ssh: v6 tcp 22 behind hop-by-hop", DROP_SSH, true, in(IPV6, V6_TCP22_HBH), false),
        row("drop ssh: arp", DROP_SSH, true, in(ARP, ARP_REQ), true),
        row("sport range hit", dropIf(Rule.matchSourcePortRange(40000, 40001)), false, out(IPV4, TCP80_SYN), false),
        row("sport range miss", dropIf(Rule.matchSourcePortRange(1, 1023)), false, out(IPV4, TCP80_SYN), true),
        row("v6 port 0 never matches (1.x)", dropIf(Rule.matchDestPortRange(0, 0)), false, out(IPV6, V6_UDP0), true),
        row("icmp type", dropIf(Rule.matchIcmp(8, -1)), false, out(IPV4, ICMP_ECHO), false),
        row("icmp type other", dropIf(Rule.matchIcmp(8, -1)), false, out(IPV4, ICMP_UNREACH3), true),
        row("icmp type+code", dropIf(Rule.matchIcmp(3, 3)), false, out(IPV4, ICMP_UNREACH3), false),
        row("icmp type+wrong code", dropIf(Rule.matchIcmp(3, 1)), false, out(IPV4, ICMP_UNREACH3), true),
        row("icmpv6 echo", dropIf(Rule.matchIcmp(128, 0)), true, in(IPV6, V6_PING), false),
        row("icmp on tcp", dropIf(Rule.matchIcmp(8, -1)), false, out(IPV4, TCP80_SYN), true),
        row("not-icmp on arp is a hard no: no match even inverted", dropIf(Rule.matchIcmp(8, -1).inverted()), false,
            out(ARP, ARP_REQ), true),
        row("icmp type mismatch is a hard no even inverted", dropIf(Rule.matchIcmp(8, -1).inverted()), false,
            out(IPV4, ICMP_UNREACH3), true),
        row("inverted icmp code mismatch matches", dropIf(Rule.matchIcmp(3, 1).inverted()), false,
            out(IPV4, ICMP_UNREACH3), false),
        row("ipv4 source /24", dropIf(Rule.matchIpv4Source(v4("10.0.0.0"), 24)), true, in(IPV4, TCP22_ACK), false),
        row("ipv4 source /24 miss", dropIf(Rule.matchIpv4Source(v4("10.0.1.0"), 24)), true, in(IPV4, TCP22_ACK),
            true),
        row("ipv4 dest /32", dropIf(Rule.matchIpv4Dest(v4("10.0.0.1"), 32)), false, out(IPV4, UDP53), false),
        row("ipv4 dest /0", dropIf(Rule.matchIpv4Dest(v4("0.0.0.0"), 0)), false, out(IPV4, UDP53), false),
        row("ipv4 match on ipv6 frame", dropIf(Rule.matchIpv4Dest(v4("0.0.0.0"), 0)), false, out(IPV6, V6_PING),
            true),
        row("ipv6 source /64", dropIf(Rule.matchIpv6Source(v6("fd00::"), 64)), true, in(IPV6, V6_PING), false),
        row("ipv6 dest /128 miss", dropIf(Rule.matchIpv6Dest(v6("fd00::2"), 128)), true, in(IPV6, V6_PING), true),
        row("ip protocol udp", dropIf(Rule.matchIpProtocol(17)), false, out(IPV4, UDP53), false),
        row("ip protocol icmpv6", dropIf(Rule.matchIpProtocol(58)), false, out(IPV6, V6_PING), false),
        row("ip tos v4 (dscp 46)", dropIf(Rule.matchIpTos(0xfc, 0xb8, 0xb8)), false, out(IPV4, UDP53), false),
        row("ip tos v4 miss", dropIf(Rule.matchIpTos(0xfc, 0x00, 0x10)), false, out(IPV4, UDP53), true),
        row("ip tos v6 traffic class", dropIf(Rule.matchIpTos(0xff, 0x2e, 0x2e)), false, out(IPV6, V6_PING), false),
        row("ethertype arp", dropIf(Rule.matchEthertype(ARP)), true, in(ARP, ARP_REQ), false),
        row("mac source", dropIf(Rule.matchMacSource(PEER_MAC)), true, in(IPV4, UDP53), false),
        row("mac dest", dropIf(Rule.matchMacDest(PEER_MAC)), true, in(IPV4, UDP53), true),
        row("zt source", dropIf(Rule.matchSourceAddress(PEER)), true, in(IPV4, UDP53), false),
        row("zt dest", dropIf(Rule.matchDestAddress(PEER)), false, out(IPV4, UDP53), false),
        row("zt dest miss", dropIf(Rule.matchDestAddress(THIRD)), false, out(IPV4, UDP53), true),
        row("vlan 0", dropIf(Rule.matchVlanId(0)), false, out(IPV4, UDP53), false),
        row("vlan 5", dropIf(Rule.matchVlanId(5)), false, out(IPV4, UDP53), true),
        row("vlan pcp 0", dropIf(Rule.matchVlanPcp(0)), false, out(IPV4, UDP53), false),
        row("vlan dei 1", dropIf(Rule.matchVlanDei(1)), false, out(IPV4, UDP53), true),
        row("frame size in", dropIf(Rule.matchFrameSizeRange(0, 40)), false, out(IPV4, TCP80_SYN), false),
        row("frame size out", dropIf(Rule.matchFrameSizeRange(41, 1500)), false, out(IPV4, TCP80_SYN), true),
        row("random always", dropIf(Rule.matchRandom(0xffffffffL)), false, out(IPV4, UDP53), false),
        row("random never", dropIf(Rule.matchRandom(0)), false, out(IPV4, UDP53), true),
        row("tcp syn (no ack) inbound", dropIf(Rule.matchCharacteristics(Rule.CHAR_INBOUND),
            Rule.matchCharacteristics(Rule.CHAR_TCP_SYN), Rule.matchCharacteristics(Rule.CHAR_TCP_ACK).inverted()),
            true, in(IPV4, TCP80_SYN), false),
        row("tcp syn-ack inbound passes", dropIf(Rule.matchCharacteristics(Rule.CHAR_INBOUND),
            Rule.matchCharacteristics(Rule.CHAR_TCP_SYN), Rule.matchCharacteristics(Rule.CHAR_TCP_ACK).inverted()),
            true, in(IPV4, TCP80_SYNACK), true),
        row("tcp syn outbound passes", dropIf(Rule.matchCharacteristics(Rule.CHAR_INBOUND),
            Rule.matchCharacteristics(Rule.CHAR_TCP_SYN)), false, out(IPV4, TCP80_SYN), true),
        row("v6 tcp syn", dropIf(Rule.matchCharacteristics(Rule.CHAR_TCP_SYN)), false, out(IPV6, V6_TCP22), false),
        row("broadcast", dropIf(Rule.matchCharacteristics(Rule.CHAR_BROADCAST)), false,
            new Frame(SELF, 0, SELF_MAC, MacAddress.BROADCAST.value(), ARP, ARP_REQ), false),
        row("multicast", dropIf(Rule.matchCharacteristics(Rule.CHAR_MULTICAST)), false,
            new Frame(SELF, 0, SELF_MAC, 0x333300000001L, IPV6, V6_PING), false),
        row("unicast is not multicast", dropIf(Rule.matchCharacteristics(Rule.CHAR_MULTICAST)), false,
            out(IPV6, V6_PING), true),
        row("neighbor solicitation counts as ip-authenticated",
            dropIf(Rule.matchCharacteristics(Rule.CHAR_SENDER_IP_AUTHENTICATED)), true, in(IPV6, NS), false),
        row("no coo: not ip-authenticated", dropIf(Rule.matchCharacteristics(Rule.CHAR_SENDER_IP_AUTHENTICATED)),
            true, in(IPV6, NA), true),
        row("int range be 16-bit", dropIf(Rule.matchIntegerRange(0x4500, 0, 0, 16, false)), false,
            out(IPV4, UDP53), true), // 1.x reads BE integers at idx + 8 - bytes (quirk): bytes 6..7 here
        row("int range be 16-bit quirk offset", dropIf(Rule.matchIntegerRange(0x4000, 0, 0, 16, false)), false,
            out(IPV4, UDP53), false),
        row("int range le 16-bit", dropIf(Rule.matchIntegerRange(0x0045 | 0xb800, 0, 0, 16, true)), false,
            out(IPV4, UDP53), false),
        row("int range 4-bit be: low nibble of byte 7+7 (0x01)", dropIf(Rule.matchIntegerRange(1, 0, 7, 4, false)),
            false, out(IPV4, UDP53), false),
        row("int range past end", dropIf(Rule.matchIntegerRange(1, 10, 5000, 8, false)), false, out(IPV4, UDP53),
            true),
        row("OR: udp or icmp (udp)", dropIf(Rule.matchIpProtocol(17), Rule.matchIpProtocol(1).orWithPrevious()),
            false, out(IPV4, UDP53), false),
        row("OR: udp or icmp (icmp)", dropIf(Rule.matchIpProtocol(17), Rule.matchIpProtocol(1).orWithPrevious()),
            false, out(IPV4, ICMP_ECHO), false),
        row("OR: udp or icmp (tcp)", dropIf(Rule.matchIpProtocol(17), Rule.matchIpProtocol(1).orWithPrevious()),
            false, out(IPV4, TCP80_SYN), true),
        row("set resets after an action", List.of(Rule.matchIpProtocol(17), Rule.tee(THIRD, 0, 0), Rule.drop()),
            false, out(IPV4, TCP80_SYN), false),
        row("break ends evaluation without match", List.of(Rule.matchIpProtocol(6), Rule.breakAction(),
            Rule.accept()), false, out(IPV4, TCP80_SYN), false),
        row("break not taken", List.of(Rule.matchIpProtocol(6), Rule.breakAction(), Rule.accept()), false,
            out(IPV4, UDP53), true),
        row("unknown action is a no-op", List.of(Rule.of(9, new byte[0]), Rule.accept()), false,
            out(IPV4, UDP53), true),
        row("priority accepts", List.of(Rule.priority(), Rule.drop()), false, out(IPV4, UDP53), true),
        row("unknown match is false by default", dropIf(Rule.of(60, new byte[] {1, 2})), false, out(IPV4, UDP53),
            true));
    for (Row r : rows) {
      FilterResult res = run(r.rules(), r.inbound(), r.frame());
      assertThat(res.accepted()).as(r.name() + " -> " + res).isEqualTo(r.accept());
      // every table rule list survives the wire format unchanged
      byte[] wire = Rule.toBytes(r.rules());
      assertThat(Rule.parseList(wire, 0, wire.length, 1024)).as(r.name()).isEqualTo(r.rules());
    }
  }

  @Test
  void unsupportedMatchFollowsTheConfigFlag() {
    List<Rule> rules = dropIf(Rule.of(60, new byte[0]));
    RuleEngine.Context ctx = new RuleEngine.Context(rules, List.of(), RuleEngine.TagLookup.NONE, null,
        RuleEngine.Ownership.NONE, NetworkConfig.FLAG_RULES_RESULT_OF_UNSUPPORTED_MATCH);
    assertThat(run(ctx, false, out(IPV4, UDP53)).accepted()).isFalse();
  }

  @Test
  void teeWatchRedirectAndSuperAccept() {
    FilterResult tee = run(List.of(Rule.tee(THIRD, 0, 20), Rule.accept()), false, out(IPV4, TCP80_SYN));
    assertThat(tee.accepted()).isTrue();
    assertThat(tee.teeCount()).isEqualTo(1);
    assertThat(tee.teeTo(0)).isEqualTo(THIRD);
    assertThat(tee.teeLength(0)).isEqualTo(20);
    assertThat(tee.teeWatch(0)).isFalse();
    assertThat(tee.redirectTo()).isZero();

    FilterResult watch = run(List.of(Rule.watch(THIRD, 0, 0), Rule.accept()), true, in(IPV4, TCP80_SYN));
    assertThat(watch.teeWatch(0)).isTrue();
    assertThat(watch.teeLength(0)).isEqualTo(TCP80_SYN.length);

    FilterResult teeDropped = run(List.of(Rule.tee(THIRD, 0, 0), Rule.drop()), false, out(IPV4, TCP80_SYN));
    assertThat(teeDropped.accepted()).isFalse();
    assertThat(teeDropped.teeCount()).isZero(); // a dropped frame is not copied

    FilterResult teeToSource = run(List.of(Rule.tee(SELF, 0, 0), Rule.accept()), false, out(IPV4, TCP80_SYN));
    assertThat(teeToSource.teeCount()).isZero();

    FilterResult redirect = run(List.of(Rule.matchIpProtocol(6), Rule.redirect(THIRD, 0), Rule.drop()), false,
        out(IPV4, TCP80_SYN));
    assertThat(redirect.accepted()).isTrue();
    assertThat(redirect.redirectTo()).isEqualTo(THIRD);
    FilterResult notRedirected = run(List.of(Rule.matchIpProtocol(6), Rule.redirect(THIRD, 0), Rule.drop()), false,
        out(IPV4, UDP53));
    assertThat(notRedirected.accepted()).isFalse();

    // inbound: a rule that tees to us makes us accept even if later rules would not
    FilterResult superAccept = run(List.of(Rule.tee(SELF, 0, 0), Rule.drop()), true,
        new Frame(PEER, THIRD, PEER_MAC, NodeMac.forNode(NWID, THIRD), IPV4, UDP53));
    assertThat(superAccept.accepted()).isTrue();
    assertThat(superAccept.superAccepted()).isTrue();
    // a TEE to us in a set that did not match still marks us as a target for a later accept
    FilterResult latent = run(List.of(Rule.matchIpProtocol(99), Rule.tee(SELF, 0, 0), Rule.accept()), true,
        in(IPV4, UDP53));
    assertThat(latent.superAccepted()).isTrue();
  }

  @Test
  void capabilitiesAcceptWhatTheRulesDoNot() {
    List<Rule> base = List.of(Rule.matchIpProtocol(6), Rule.matchDestPortRange(22, 22).inverted(), Rule.accept(),
        Rule.matchIpProtocol(6).inverted(), Rule.accept());
    List<Rule> sshCap = List.of(Rule.matchDestPortRange(22, 22), Rule.tee(THIRD, 0, 0), Rule.accept());
    List<Rule> dropCap = List.of(Rule.drop());
    RuleEngine.Context ctx = new RuleEngine.Context(base, List.of(dropCap, sshCap), RuleEngine.TagLookup.NONE, null,
        RuleEngine.Ownership.NONE, 0);
    FilterResult ssh = run(ctx, false, out(IPV4, TCP22_SYN));
    assertThat(ssh.accepted()).isTrue();
    assertThat(ssh.capabilityIndex()).isEqualTo(1);
    assertThat(ssh.teeCount()).isEqualTo(1);
    FilterResult web = run(ctx, false, out(IPV4, TCP80_SYN));
    assertThat(web.accepted()).isTrue();
    assertThat(web.capabilityIndex()).isEqualTo(-1);
    RuleEngine.Context noCaps = new RuleEngine.Context(base, List.of(), RuleEngine.TagLookup.NONE, null,
        RuleEngine.Ownership.NONE, 0);
    assertThat(run(noCaps, false, out(IPV4, TCP22_SYN)).accepted()).isFalse();
    assertThat(run(ctx, true, in(IPV4, TCP22_SYN)).accepted()).isTrue();
  }

  @Test
  void directionDecidesCapabilitySuperAcceptAndQosBucket() {
    List<Rule> base = List.of(Rule.matchIpProtocol(17), Rule.matchDestPortRange(53, 53).inverted(), Rule.accept());
    // a TEE to us (inbound) in a set that does not match still makes the capability's accept a super-accept
    List<Rule> latentCap = List.of(Rule.matchIpProtocol(99), Rule.tee(SELF, 0, 0), Rule.accept());
    RuleEngine.Context ctx = new RuleEngine.Context(base, List.of(latentCap), RuleEngine.TagLookup.NONE, null,
        RuleEngine.Ownership.NONE, 0);
    FilterResult in = run(ctx, true, in(IPV4, UDP53));
    assertThat(in.accepted()).isTrue();
    assertThat(in.superAccepted()).isTrue();
    assertThat(in.capabilityIndex()).isZero();
    FilterResult out = run(ctx, false, out(IPV4, UDP53));
    assertThat(out.accepted()).isTrue();
    assertThat(out.superAccepted()).isFalse();
    assertThat(out.capabilityIndex()).isZero();

    // PRIORITY accepts both ways, but only an outbound frame takes the QoS bucket
    List<Rule> prio = List.of(Rule.priority());
    FilterResult prioOut = run(prio, false, out(IPV4, UDP53));
    assertThat(prioOut.accepted()).isTrue();
    assertThat(prioOut.qosBucket()).isZero();
    FilterResult prioIn = run(prio, true, in(IPV4, UDP53));
    assertThat(prioIn.accepted()).isTrue();
    assertThat(prioIn.qosBucket()).isEqualTo(-1);
  }

  static RuleEngine.TagLookup tags(Map<Long, Long> m) {
    return id -> m.getOrDefault(id, -1L);
  }

  RuleEngine.Context tagCtx(List<Rule> rules, Map<Long, Long> local, @Nullable Map<Long, Long> remote) {
    return new RuleEngine.Context(rules, List.of(), tags(local), remote == null ? null : tags(remote),
        RuleEngine.Ownership.NONE, 0);
  }

  @Test
  void tagMatches() {
    Map<Long, Long> local = Map.of(1L, 10L, 2L, 0b1100L);
    Map<Long, Long> remote = Map.of(1L, 13L, 2L, 0b1010L);
    record T(String name, Rule rule, boolean matches) {}
    List<T> cases = List.of(
        new T("difference within", Rule.matchTag(Rule.MATCH_TAGS_DIFFERENCE, 1, 3), true),
        new T("difference beyond", Rule.matchTag(Rule.MATCH_TAGS_DIFFERENCE, 1, 2), false),
        new T("and", Rule.matchTag(Rule.MATCH_TAGS_BITWISE_AND, 2, 0b1000), true),
        new T("and wrong", Rule.matchTag(Rule.MATCH_TAGS_BITWISE_AND, 2, 0b1100), false),
        new T("or", Rule.matchTag(Rule.MATCH_TAGS_BITWISE_OR, 2, 0b1110), true),
        new T("xor", Rule.matchTag(Rule.MATCH_TAGS_BITWISE_XOR, 2, 0b0110), true),
        new T("equal needs both", Rule.matchTag(Rule.MATCH_TAGS_EQUAL, 1, 10), false),
        new T("sender (inbound = remote)", Rule.matchTag(Rule.MATCH_TAG_SENDER, 1, 13), true),
        new T("receiver (inbound = us)", Rule.matchTag(Rule.MATCH_TAG_RECEIVER, 1, 10), true),
        new T("receiver wrong", Rule.matchTag(Rule.MATCH_TAG_RECEIVER, 1, 13), false),
        new T("we lack the tag", Rule.matchTag(Rule.MATCH_TAGS_DIFFERENCE, 9, 100), false));
    for (T c : cases) {
      FilterResult r = run(tagCtx(acceptOnlyIf(c.rule()), local, remote), true, in(IPV4, UDP53));
      assertThat(r.accepted()).as(c.name()).isEqualTo(c.matches());
    }
    Map<Long, Long> same = Map.of(1L, 10L);
    assertThat(run(tagCtx(acceptOnlyIf(Rule.matchTag(Rule.MATCH_TAGS_EQUAL, 1, 10)), same, same), true,
        in(IPV4, UDP53)).accepted()).isTrue();
    // outbound: sender = us, receiver = remote
    assertThat(run(tagCtx(acceptOnlyIf(Rule.matchTag(Rule.MATCH_TAG_SENDER, 1, 10)), local, remote), false,
        out(IPV4, UDP53)).accepted()).isTrue();
    assertThat(run(tagCtx(acceptOnlyIf(Rule.matchTag(Rule.MATCH_TAG_RECEIVER, 1, 13)), local, remote), false,
        out(IPV4, UDP53)).accepted()).isTrue();
  }

  @Test
  void unknownRemoteTagsAreStrictInboundAndLenientOutbound() {
    List<Rule> acceptSameDept = acceptOnlyIf(Rule.matchTag(Rule.MATCH_TAGS_EQUAL, 1, 10));
    Map<Long, Long> local = Map.of(1L, 10L);
    // inbound with an unknown remote tag: hard no -> falls off the end -> drop
    assertThat(run(tagCtx(acceptSameDept, local, Map.of()), true, in(IPV4, UDP53)).accepted()).isFalse();
    assertThat(run(tagCtx(acceptSameDept, local, null), true, in(IPV4, UDP53)).accepted()).isFalse();
    assertThat(run(tagCtx(acceptSameDept, local, Map.of(1L, 10L)), true, in(IPV4, UDP53)).accepted()).isTrue();
    // outbound with an unknown remote tag: lenient, the receiver filters
    assertThat(run(tagCtx(acceptSameDept, local, Map.of()), false, out(IPV4, UDP53)).accepted()).isTrue();
    // outbound with the remote tag known and different: no match -> drop
    assertThat(run(tagCtx(acceptSameDept, local, Map.of(1L, 11L)), false, out(IPV4, UDP53)).accepted()).isFalse();

    // the inverted form: outbound unknown -> the set matches but its DROP is skipped once
    List<Rule> dropOtherDept = List.of(Rule.matchTag(Rule.MATCH_TAGS_EQUAL, 1, 10).inverted(), Rule.drop(),
        Rule.accept());
    assertThat(run(tagCtx(dropOtherDept, local, Map.of()), false, out(IPV4, UDP53)).accepted()).isTrue();
    assertThat(run(tagCtx(dropOtherDept, local, Map.of(1L, 11L)), false, out(IPV4, UDP53)).accepted()).isFalse();
    // inbound unknown is a hard no even when inverted (1.x semantics): the drop is not taken
    assertThat(run(tagCtx(dropOtherDept, local, Map.of()), true, in(IPV4, UDP53)).accepted()).isTrue();
  }

  @Test
  void ownershipCharacteristicsUseCertificatesOfOwnership() {
    CertificateOfOwnership coo = CertificateOfOwnership.of(NWID, 1, 0, 1,
        List.of(CertificateOfOwnership.Thing.ip(IpPrefix.parseIp("10.0.0.2")),
            CertificateOfOwnership.Thing.mac(PEER_MAC)), PEER);
    RuleEngine.Ownership own = RuleEngine.Ownership.of(List.of(coo));
    List<Rule> requireIp = acceptOnlyIf(Rule.matchCharacteristics(Rule.CHAR_SENDER_IP_AUTHENTICATED));
    List<Rule> requireMac = acceptOnlyIf(Rule.matchCharacteristics(Rule.CHAR_SENDER_MAC_AUTHENTICATED));
    RuleEngine.Context ipCtx = new RuleEngine.Context(requireIp, List.of(), RuleEngine.TagLookup.NONE, null, own, 0);
    RuleEngine.Context macCtx = new RuleEngine.Context(requireMac, List.of(), RuleEngine.TagLookup.NONE, null, own,
        0);
    assertThat(run(ipCtx, true, in(IPV4, TCP22_ACK)).accepted()).isTrue(); // src 10.0.0.2
    assertThat(run(ipCtx, true, in(IPV4, UDP53)).accepted()).isFalse(); // src 192.168.1.7
    assertThat(run(ipCtx, true, in(ARP, ARP_REQ)).accepted()).isTrue(); // ARP sender 10.0.0.2
    assertThat(run(macCtx, true, in(IPV4, UDP53)).accepted()).isTrue();
    assertThat(run(macCtx, true, new Frame(PEER, SELF, 0x02deadbeef01L, SELF_MAC, IPV4, UDP53)).accepted()).isFalse();
  }

  @Test
  void truncatedAndGarbageFramesNeverThrow() {
    java.util.Random rnd = new java.util.Random(7);
    List<List<Rule>> ruleSets = List.of(DROP_SSH, IP_ARP_V6_ONLY,
        dropIf(Rule.matchCharacteristics(-1L)), dropIf(Rule.matchIcmp(1, 1)),
        dropIf(Rule.matchIntegerRange(0, -1L, 65535, 64, true)), dropIf(Rule.matchIpTos(0xff, 0, 255)),
        dropIf(Rule.matchIpv6Source(v6("::"), 0)), dropIf(Rule.matchSourcePortRange(0, 65535)));
    int[] types = {IPV4, IPV6, ARP, 0x1234};
    for (int i = 0; i < 20_000; i++) {
      byte[] base = switch (i % 5) {
        case 0 -> TCP22_SYN;
        case 1 -> V6_TCP22_HBH;
        case 2 -> NA;
        case 3 -> ARP_REQ;
        default -> new byte[rnd.nextInt(80)];
      };
      byte[] f = java.util.Arrays.copyOf(base, rnd.nextInt(base.length + 1));
      if (f.length > 0 && rnd.nextBoolean()) {
        f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
      }
      for (List<Rule> rs : ruleSets) {
        run(rs, rnd.nextBoolean(), new Frame(PEER, SELF, PEER_MAC, SELF_MAC, types[rnd.nextInt(4)], f));
      }
    }
  }
}
