package dev.ztjvm.node;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.node.Vl1Counters.Drop;
import dev.ztjvm.underlay.TcpRelayClient;
import dev.ztjvm.underlay.UdpUnderlay;
import dev.ztjvm.vl1.FragmentReassembler;
import dev.ztjvm.vl1.Fragments;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.PacketCompressor;
import dev.ztjvm.vl1.Rendezvous;
import dev.ztjvm.vl1.SentPacketTable;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.Whois;
import dev.ztjvm.vl1.WireWriter;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Moves packets (ZeroTier One's {@code Switch}): classifies received datagrams (fragment, packet, relay, beacon),
 * reassembles fragmented packets, relays as a root and introduces relayed peers (RENDEZVOUS), holds packets while a
 * WHOIS runs, and on the send side picks a path (or an upstream to relay through), compresses, armors, fragments and
 * writes to the underlay. Confined to the node's loop.
 */
final class Switch {

  /** Relayed pairs remembered for RENDEZVOUS pacing; the least recently introduced is forgotten first. */
  private static final int MAX_UNITE_RECORDS = 65_536;
  /** Least time between two introductions of a pair when one end's address changed. */
  private static final long MIN_REUNITE_INTERVAL = 1_000;

  /** When a pair was last introduced and a hash of the two endpoints it was told. */
  private record UniteRecord(long atMillis, int endpoints) {}

  private final Vl1Node node;
  private final Vl1Counters counters;
  final PacketArmor armor = new PacketArmor();
  private final PacketCompressor compressor = new PacketCompressor();
  private final FragmentReassembler reassembler;
  final SentPacketTable sent = new SentPacketTable();
  final PacketIds ids = new PacketIds();
  final WhoisQueue whois;
  private final BoundedMap<Long, UniteRecord> lastUnite = new BoundedMap<>(MAX_UNITE_RECORDS);
  private long seenDuplicates;
  private long seenDiscarded;

  /** Transmit scratch: one packet being built and armored. */
  final byte[] tx = new byte[Packet.MAX_PACKET_LENGTH + 64];
  /** Fragment scratch. */
  private final byte[] fragment = new byte[Packet.MAX_PHYSICAL_MTU];
  /** Reassembly and decompression output. */
  final byte[] assembled = new byte[UdpUnderlay.MAX_DATAGRAM];

  Switch(Vl1Node node) {
    this.node = node;
    this.counters = node.counters();
    Vl1Limits limits = node.config().limits();
    this.reassembler = new FragmentReassembler(FragmentReassembler.DEFAULT_SLOTS, limits.fragmentSlotsPerSource());
    this.whois = new WhoisQueue(node, limits);
  }

  // ---------------------------------------------------------------------------------------------- receive

  void receive(int socketId, InetSocketAddress from, byte[] buf, int off, int len, long now) {
    counters.datagramIn(len);
    if (len == Packet.BEACON_LENGTH) {
      counters.drop(Drop.LAN_BEACON);
      return;
    }
    long self = node.address();
    if (Packet.isFragment(buf, off, len)) {
      if (Fragments.destination(buf, off) != self) {
        relay(buf, off, len, true, now);
        return;
      }
      int n = reassembler.offerFragment(buf, off, len, now, assembled, 0, sourceKey(from));
      reassembled(socketId, from, n, now);
      return;
    }
    if (!Packet.isPacketHead(buf, off, len)) {
      counters.drop(Drop.MALFORMED);
      return;
    }
    if (Packet.destination(buf, off) != self) {
      relay(buf, off, len, false, now);
      return;
    }
    if (Packet.isFragmented(buf, off)) {
      int n = reassembler.offerHead(buf, off, len, now, assembled, 0, sourceKey(from));
      reassembled(socketId, from, n, now);
      return;
    }
    node.incoming().process(socketId, from, buf, off, len, 1, now);
  }

  private void reassembled(int socketId, InetSocketAddress from, int n, long now) {
    if (n == FragmentReassembler.DROPPED) {
      counters.drop(Drop.FRAGMENT_REJECTED);
    }
    countReassemblyDrops();
    if (n > 0) {
      node.incoming().process(socketId, from, assembled, 0, n, reassembler.lastCompletedParts(), now);
    }
  }

  /** Counts the parts the reassembler refused as duplicates or threw away since the last look. */
  private void countReassemblyDrops() {
    long dup = reassembler.duplicateCount();
    if (dup != seenDuplicates) {
      counters.drop(Drop.FRAGMENT_DUPLICATE, (int) (dup - seenDuplicates));
      seenDuplicates = dup;
    }
    long disc = reassembler.discardedPartCount();
    if (disc != seenDiscarded) {
      counters.drop(Drop.FRAGMENT_DISCARDED, (int) (disc - seenDiscarded));
      seenDiscarded = disc;
    }
  }

  /** The reassembler's per-sender key: the sender's IP address (its port is free for a spoofer to vary anyway). */
  private static long sourceKey(InetSocketAddress from) {
    return Arrays.hashCode(from.getAddress().getAddress());
  }

  /** Datagrams buffered for reassembly. */
  int pendingFragmentParts() {
    return reassembler.pendingParts();
  }

  /** Periodic housekeeping: expire reassembly entries and WHOIS holds, retry WHOIS. */
  void service(long now) {
    reassembler.expire(now);
    countReassemblyDrops();
    whois.service(now);
  }

  // ---------------------------------------------------------------------------------------------- relaying

  private void relay(byte[] buf, int off, int len, boolean isFragment, long now) {
    if (!node.config().root()) {
      counters.drop(Drop.NOT_RELAYED);
      return;
    }
    int hops = isFragment ? Fragments.hops(buf, off) : Packet.hops(buf, off);
    if (hops >= Packet.RELAY_MAX_HOPS) {
      counters.drop(Drop.NOT_RELAYED);
      return;
    }
    long dest = isFragment ? Fragments.destination(buf, off) : Packet.destination(buf, off);
    Peer to = node.topology().get(dest);
    Path path = to == null ? null : to.bestPath(now);
    if (to == null || path == null) {
      counters.drop(Drop.NOT_RELAYED);
      return;
    }
    if (isFragment) {
      Fragments.incrementHops(buf, off);
    } else {
      Packet.incrementHops(buf, off);
    }
    physicalSend(path.socketId, path.remote, buf, off, len);
    counters.countRelayed();
    path.lastSendMillis = now;
    if (!isFragment && node.config().rendezvous()) {
      Peer fromPeer = node.topology().get(Packet.source(buf, off));
      if (fromPeer != null) {
        unite(fromPeer, to, now);
      }
    }
  }

  /** Sends RENDEZVOUS to both ends of a relayed conversation so they can try a direct path (spec 6.4). */
  private void unite(Peer a, Peer b, long now) {
    long pairKey = a.address < b.address ? (a.address << 24) ^ b.address : (b.address << 24) ^ a.address;
    Path pa = a.bestPath(now);
    Path pb = b.bestPath(now);
    if (pa == null || pb == null || !pa.alive(now) || !pb.alive(now)) {
      return;
    }
    // The interval limits repeats of the same introduction. When either end now sits at another address (a peer
    // restarted on a new port, a NAT remapped it), the other end still sends to the old one: introduce them again.
    int endpoints = a.address < b.address ? 31 * pa.remote.hashCode() + pb.remote.hashCode()
        : 31 * pb.remote.hashCode() + pa.remote.hashCode();
    UniteRecord last = lastUnite.get(pairKey);
    if (last != null
        && now - last.atMillis() < (last.endpoints() == endpoints ? Timing.MIN_UNITE_INTERVAL : MIN_REUNITE_INTERVAL)) {
      return;
    }
    if ((pa.remote.getAddress() instanceof Inet4Address) != (pb.remote.getAddress() instanceof Inet4Address)) {
      return;
    }
    lastUnite.put(pairKey, new UniteRecord(now, endpoints));
    boolean aFirst = ids.nextBoolean();
    sendRendezvous(aFirst ? a : b, aFirst ? b : a, aFirst ? pb : pa, now);
    sendRendezvous(aFirst ? b : a, aFirst ? a : b, aFirst ? pa : pb, now);
  }

  private void sendRendezvous(Peer to, Peer about, Path aboutPath, long now) {
    int n = new Rendezvous(0, about.address, aboutPath.remote).write(tx, 0, ids.next(), to.address, node.address());
    transmit(to, tx, n, false, false, now);
  }

  // ---------------------------------------------------------------------------------------------- WHOIS

  /** Sends one WHOIS for {@code address} to the best upstream; false if there is none to ask. */
  boolean sendWhois(long address, long now) {
    Peer up = node.topology().bestUpstream(now, address);
    if (up == null) {
      return false;
    }
    // Build in a separate buffer: we may be called while tx holds a packet being held for this WHOIS.
    byte[] b = new byte[Packet.HEADER_LENGTH + 5 + 64];
    int n = Whois.writeRequest(b, 0, ids.next(), up.address, node.address(), address);
    transmit(up, b, n, false, true, now);
    return true;
  }

  /** A peer became known: sends what was held for it and processes what it sent meanwhile. */
  void flushHeld(Peer p, long now) {
    WhoisQueue.Pending pw = whois.take(p.address);
    if (pw == null) {
      return;
    }
    for (WhoisQueue.HeldOutbound out : pw.outbound) {
      byte[] held = out.packet();
      System.arraycopy(held, 0, tx, 0, held.length);
      transmit(p, tx, held.length, out.compress(), out.expectReply(), now);
    }
    for (WhoisQueue.HeldInbound in : pw.inbound) {
      node.incoming().process(in.socketId(), in.from(), in.packet(), 0, in.packet().length, in.datagrams(), now);
    }
  }

  // ---------------------------------------------------------------------------------------------- transmit

  /** Writes a packet header with a fresh packet ID into the transmit buffer and returns a writer at the payload. */
  WireWriter begin(long destination, Verb verb) {
    Packet.writeHeader(tx, 0, ids.next(), destination, node.address(), verb);
    return new WireWriter(tx, Packet.IDX_PAYLOAD);
  }

  boolean transmit(Peer peer, byte[] pkt, int len, boolean compress, boolean expectReply, long now) {
    return transmitWithSuite(peer, pkt, len, compress, expectReply, peer.sendSuite(), now);
  }

  boolean transmitWithSuite(
      Peer peer, byte[] pkt, int len, boolean compress, boolean expectReply, int suite, long now) {
    Path path = peer.bestPath(now);
    if (path == null || !path.alive(now)) {
      // A direct path that has stopped answering (the peer moved to another port or address) is used only when no
      // upstream can relay: relaying reaches the peer wherever it now is, and lets the root unite us again.
      Peer relay = node.topology().bestUpstream(now, peer.address);
      Path relayPath = relay == null ? null : relay.bestPath(now);
      if (relayPath != null && (path == null || relayPath.alive(now))) {
        path = relayPath;
      }
      if (path == null) {
        return false;
      }
    }
    if (compress) {
      len = compressor.compress(pkt, 0, len);
    }
    // When relaying, the path belongs to the upstream: its send time is the upstream's, not the peer's.
    return armorAndSend(peer, pkt, len, suite, expectReply, path.socketId, path.remote, path, now);
  }

  /** Armors {@code pkt[0..len)} for {@code peer}, fragments it if needed and sends it to one physical address. */
  boolean armorAndSend(
      Peer peer,
      byte[] pkt,
      int len,
      int suite,
      boolean expectReply,
      int socketId,
      InetSocketAddress to,
      @Nullable Path path,
      long now) {
    int mtu = node.config().physicalMtu();
    int verb = Packet.verbCode(pkt, 0);
    if (len > mtu) {
      if (Fragments.count(len, mtu) > Fragments.MAX_FRAGMENTS) {
        return false;
      }
      Packet.setFragmented(pkt, 0, true);
    }
    armor.armor(pkt, 0, len, peer.key, suite);
    if (expectReply) {
      sent.record(Packet.packetId(pkt, 0), now);
    }
    counters.out(verb, len);
    peer.lastSendMillis = now;
    if (path != null) {
      path.lastSendMillis = now;
    }
    if (len <= mtu) {
      return physicalSend(socketId, to, pkt, 0, len);
    }
    boolean ok = physicalSend(socketId, to, pkt, 0, mtu);
    int total = Fragments.count(len, mtu);
    for (int i = 1; i < total; i++) {
      int n = Fragments.writeFragment(pkt, 0, len, mtu, i, fragment, 0);
      ok &= physicalSend(socketId, to, fragment, 0, n);
    }
    return ok;
  }

  boolean physicalSend(int socketId, InetSocketAddress to, byte[] buf, int off, int len) {
    UdpUnderlay u = node.underlay();
    if (u == null) {
      return false;
    }
    counters.datagramOut(len);
    return u.send(socketId, to, buf, off, len);
  }

  /** The local socket that can reach {@code to}, the TCP relay if only it can, or −1. */
  int socketFor(InetSocketAddress to) {
    UdpUnderlay u = node.underlay();
    if (u == null) {
      return -1;
    }
    for (UdpUnderlay.LocalSocket s : u.sockets()) {
      if (!s.secondary() && s.canReach(to.getAddress())) {
        return s.id();
      }
    }
    TcpRelayClient relay = u.tcpRelay();
    return relay != null && relay.canCarry(to.getAddress()) ? TcpRelayClient.SOCKET_ID : -1;
  }
}
