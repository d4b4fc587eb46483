package dev.ztjvm.network;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.node.Vl2Hook;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl2.CertificateOfMembership;
import dev.ztjvm.vl2.FilterResult;
import dev.ztjvm.vl2.MulticastGroup;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.NodeMac;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Multicast of the member runtime (ZeroTier One's {@code Multicaster}, spec 8.3): announces our groups
 * (MULTICAST_LIKE), learns who subscribes from LIKEs and gather results, answers MULTICAST_GATHER, and sends a
 * multicast frame to up to the network's multicast limit of subscribers (or to a replicator), holding it a few
 * seconds for members a late gather result names. Also receives MULTICAST_FRAME. Confined to the node's loop.
 */
final class Multicaster {

  static final long ANNOUNCE_PERIOD_MILLIS = 60_000;
  static final long GATHER_PERIOD_MILLIS = 60_000;
  static final long PENDING_MULTICAST_MILLIS = 5_000;
  private static final int MAX_PENDING_MULTICASTS = 64;

  private final NetworkManager manager;
  private final Vl1Node node;
  private final long self;
  private final SplittableRandom random;

  Multicaster(NetworkManager manager, SplittableRandom random) {
    this.manager = manager;
    this.node = manager.node();
    this.self = node.address();
    this.random = random;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Our subscriptions out

  /** Where LIKEs and GATHERs go: the controller, the upstreams (roots of the planet and moons), anchors/replicators. */
  private Set<Long> multicastAuthorities(Network n) {
    Set<Long> out = new LinkedHashSet<>();
    if (!n.adHoc && n.controller != self) {
      out.add(n.controller);
    }
    addRoots(out, node.planet());
    for (World m : node.moons()) {
      addRoots(out, m);
    }
    NetworkConfig c = n.config;
    if (c != null) {
      out.addAll(c.specialistsWith(NetworkConfig.SPECIALIST_ANCHOR | NetworkConfig.SPECIALIST_MULTICAST_REPLICATOR));
    }
    out.remove(self);
    while (out.size() > 16) {
      out.remove(out.iterator().next());
    }
    return out;
  }

  private static void addRoots(Set<Long> out, World w) {
    for (World.Root r : w.roots()) {
      out.add(r.identity().address());
    }
  }

  /** Sends our groups of {@code n} to its multicast authorities and to the members that pass the gate. */
  void announce(Network n, long now) {
    n.lastAnnounce = now;
    n.groupsDirty = false;
    Set<MulticastGroup> groups = n.groups();
    Set<MulticastGroup> previous = n.announced;
    n.announced = groups;
    if (groups.isEmpty()) {
      return;
    }
    Vl2Hook ctl = manager.controllerHook();
    if (n.controller == self && ctl != null) {
      // we are this network's controller: tell it directly (it answers other members' gathers)
      byte[] like = new byte[Packet.HEADER_LENGTH + 18 * groups.size()];
      Packet.writeHeader(like, 0, 0, self, self, Verb.MULTICAST_LIKE);
      int q = Packet.IDX_PAYLOAD;
      for (MulticastGroup g : groups) {
        Bytes.put64(like, q, n.id);
        MacAddress.write(g.mac(), like, q + 8);
        Bytes.put32(like, q + 14, g.adi() & 0xffffffffL);
        q += 18;
      }
      ctl.onPacket(node, self, Verb.MULTICAST_LIKE.code(), like, 0, like.length, 0, now);
    }
    Set<Long> targets = multicastAuthorities(n);
    boolean changed = !groups.equals(previous);
    for (Membership m : n.members.values()) {
      // members whose credentials check out hear our subscriptions directly, at most once per period (spec 8.3)
      if (m.address != self && (changed || now - m.lastLikeSent >= ANNOUNCE_PERIOD_MILLIS) && n.gate(m.address)) {
        m.lastLikeSent = now;
        targets.add(m.address);
      }
    }
    boolean sentAll = true;
    for (long to : targets) {
      WireWriter w = null;
      int count = 0;
      for (MulticastGroup g : groups) {
        if (w == null) {
          w = node.begin(to, Verb.MULTICAST_LIKE);
        }
        w.u64(n.id);
        writeMac(w, g.mac());
        w.u32(g.adi() & 0xffffffffL);
        if (++count == 64) {
          sentAll &= node.send(w, true, false);
          w = null;
          count = 0;
        }
      }
      if (w != null) {
        sentAll &= node.send(w, true, false);
      }
    }
    if (!sentAll) {
      n.groupsDirty = true; // e.g. not online yet: try again next tick
    }
  }

  static void writeMac(WireWriter w, long mac) {
    w.u16((int) (mac >>> 32)).u32(mac & 0xffffffffL);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Subscriptions in: LIKE, GATHER, gather results

  void receiveLike(long source, byte[] pkt, int p, int end, long now) {
    for (; p + 18 <= end; p += 18) {
      Network n = manager.joined(Bytes.u64(pkt, p));
      if (n == null || !n.gate(source)) {
        continue;
      }
      n.subscriptions.add(new MulticastGroup(MacAddress.read(pkt, p + 8), (int) Bytes.u32(pkt, p + 14)), source,
          now);
    }
  }

  void receiveGather(long source, byte[] pkt, int p, int end, long packetId, long now) {
    Network n = manager.networkOf(pkt, p, end, 23);
    if (n == null) {
      return;
    }
    int flags = pkt[p + 8] & 0xff;
    MulticastGroup group = new MulticastGroup(MacAddress.read(pkt, p + 9), (int) Bytes.u32(pkt, p + 15));
    long limit = Bytes.u32(pkt, p + 19);
    if ((flags & 0x01) != 0 && end - (p + 23) > 0) {
      var com = CertificateOfMembership.read(pkt, p + 23, end);
      n.acceptInlineCom(source, com.value());
    }
    if (limit == 0 || !n.gate(source)) {
      return;
    }
    sendGatherReply(n, source, Verb.MULTICAST_GATHER, packetId, group, (int) Math.min(limit, 255), false, now);
  }

  private void sendGatherReply(Network n, long to, Verb inRe, long packetId, MulticastGroup group, int limit,
      boolean frameReply, long now) {
    List<Long> known = n.subscriptions.members(group, now, Integer.MAX_VALUE, to, random);
    boolean includeSelf = n.subscribed(group);
    List<Long> list = new ArrayList<>();
    if (includeSelf) {
      list.add(self);
    }
    for (long a : known) {
      if (list.size() >= limit) {
        break;
      }
      list.add(a);
    }
    if (list.isEmpty()) {
      return;
    }
    WireWriter w = node.begin(to, Verb.OK);
    w.u8(inRe.code()).u64(packetId).u64(n.id);
    writeMac(w, group.mac());
    w.u32(group.adi() & 0xffffffffL);
    if (frameReply) {
      w.u8(0x02);
    }
    w.u32(known.size() + (includeSelf ? 1 : 0)).u16(list.size());
    for (long a : list) {
      w.u40(a);
    }
    node.send(w, true, false);
  }

  void receiveGatherResult(long source, byte[] pkt, int d, int end, boolean frameReply, long now) {
    if (end - d < 18) {
      return;
    }
    Network n = manager.joined(Bytes.u64(pkt, d));
    if (n == null) {
      return;
    }
    MulticastGroup group = new MulticastGroup(MacAddress.read(pkt, d + 8), (int) Bytes.u32(pkt, d + 14));
    int q = d + 18;
    if (frameReply) {
      if (q >= end) {
        return;
      }
      int flags = pkt[q++] & 0xff;
      if ((flags & 0x01) != 0) {
        q += CertificateOfMembership.read(pkt, q, end).length();
      }
      if ((flags & 0x02) == 0) {
        return;
      }
    }
    if (end - q < 6) {
      return;
    }
    int count = Bytes.u16(pkt, q + 4);
    q += 6;
    List<Long> learned = new ArrayList<>();
    for (int i = 0; i < count && q + 5 <= end; i++, q += 5) {
      long a = Bytes.u40(pkt, q);
      if (a != self && a != 0) {
        n.subscriptions.add(group, a, now);
        learned.add(a);
      }
    }
    // late gather results: send waiting frames to the newly learned members
    for (Network.PendingMulticast pm : n.pending) {
      if (!pm.group().equals(group) || now > pm.expiresAt()) {
        continue;
      }
      for (long a : learned) {
        if (pm.sentTo().size() >= pm.limit()) {
          break;
        }
        if (pm.sentTo().add(a)) {
          sendMulticastFrame(n, a, pm.group(), pm.sourceMac(), pm.etherType(), pm.payload(), 0, pm.payload().length,
              0, false, now);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Frames in

  void receiveMulticastFrame(long source, byte[] pkt, int p, int end, long now) {
    Network n = manager.networkOf(pkt, p, end, 9);
    if (n == null) {
      return;
    }
    long packetId = Packet.packetId(pkt, p - Packet.IDX_PAYLOAD);
    int flags = pkt[p + 8] & 0xff;
    int q = p + 9;
    if ((flags & 0x01) != 0) {
      var com = CertificateOfMembership.read(pkt, q, end);
      n.acceptInlineCom(source, com.value());
      q += com.length();
    }
    long gatherLimit = 0;
    if ((flags & 0x02) != 0) {
      if (end - q < 4) {
        manager.countDrop();
        return;
      }
      gatherLimit = Bytes.u32(pkt, q);
      q += 4;
    }
    long srcMac = NodeMac.forNode(n.id, source);
    if ((flags & 0x04) != 0) {
      if (end - q < 6) {
        manager.countDrop();
        return;
      }
      srcMac = MacAddress.read(pkt, q);
      q += 6;
    }
    if (end - q < 12) {
      manager.countDrop();
      return;
    }
    long dstMac = MacAddress.read(pkt, q);
    int adi = (int) Bytes.u32(pkt, q + 6);
    int et = Bytes.u16(pkt, q + 10);
    q += 12;
    int len = end - q;
    NetworkConfig c = n.config;
    if (!n.usable() || c == null || c.multicastLimit() == 0 || len <= 0 || len > NetworkManager.MAX_FRAME_PAYLOAD
        || !MacAddress.isMulticast(dstMac) || srcMac == 0 || MacAddress.isMulticast(srcMac) || srcMac == n.mac) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    if (srcMac != NodeMac.forNode(n.id, source)) {
      n.tap.framesDropped.incrementAndGet();
      return; // bridged: not accepted
    }
    if (!n.gate(source)) {
      n.refuse(source, Verb.MULTICAST_FRAME.code(), packetId, now);
      return;
    }
    MulticastGroup group = new MulticastGroup(dstMac, adi);
    if (gatherLimit > 0) {
      sendGatherReply(n, source, Verb.MULTICAST_FRAME, packetId, group, (int) Math.min(gatherLimit, 64), true, now);
    }
    if (!n.subscribed(group)) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    FilterResult r = manager.filterInbound(n, c, source, srcMac, dstMac, et, pkt, q, len);
    if (!r.accepted()) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    for (int i = 0; i < r.teeCount(); i++) {
      manager.sendExtFrame(n, r.teeTo(i), r.teeWatch(i) ? 0x1c : 0x08, dstMac, srcMac, et, pkt, q,
          NetworkManager.teeLength(r.teeLength(i), len), now);
    }
    manager.deliver(n, dstMac, srcMac, et, pkt, q, len);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Frames out

  /** Sends a multicast frame of ours to the group's subscribers (or a replicator), gathering more if too few. */
  void send(Network n, NetworkConfig c, MulticastGroup group, long src, int et, byte[] f, int p, int plen,
      long now) {
    int limit = (int) Math.min(c.multicastLimit(), 4096);
    List<Long> replicators = c.specialistsWith(NetworkConfig.SPECIALIST_MULTICAST_REPLICATOR);
    replicators.remove(self);
    if (!replicators.isEmpty()) {
      sendMulticastFrame(n, replicators.get(0), group, src, et, f, p, plen, 0, true, now);
      return;
    }
    List<Long> recipients = new ArrayList<>(c.specialistsWith(NetworkConfig.SPECIALIST_ACTIVE_BRIDGE));
    recipients.remove(self);
    for (long a : n.subscriptions.members(group, now, limit, self, random)) {
      if (recipients.size() >= limit) {
        break;
      }
      if (!recipients.contains(a)) {
        recipients.add(a);
      }
    }
    int gatherLimit = 0;
    if (recipients.size() < limit) {
      gatherLimit = limit - recipients.size() + 1;
      Long last = n.lastGather.get(group);
      if (recipients.isEmpty() || last == null || now - last >= GATHER_PERIOD_MILLIS) {
        n.lastGather.put(group, now);
        sendGathers(n, c, group, gatherLimit);
      }
      if (n.pending.size() >= MAX_PENDING_MULTICASTS) {
        n.pending.remove(0);
      }
      byte[] copy = java.util.Arrays.copyOfRange(f, p, p + plen);
      n.pending.add(new Network.PendingMulticast(group, src, et, copy, now + PENDING_MULTICAST_MILLIS, limit,
          new HashSet<>(recipients)));
    }
    for (long a : recipients) {
      sendMulticastFrame(n, a, group, src, et, f, p, plen, gatherLimit, false, now);
    }
  }

  private void sendGathers(Network n, NetworkConfig c, MulticastGroup group, int limit) {
    for (long to : multicastAuthorities(n)) {
      WireWriter w = node.begin(to, Verb.MULTICAST_GATHER);
      CertificateOfMembership com = c.com();
      w.u64(n.id).u8(com != null ? 0x01 : 0x00);
      writeMac(w, group.mac());
      w.u32(group.adi() & 0xffffffffL).u32(limit);
      if (com != null) {
        w.bytes(com.toBytes());
      }
      node.send(w, true, true);
    }
  }

  /**
   * @param gatherLimit implicit gather limit (flag 0x02) or 0
   * @param replicate ask a multicast replicator to replicate (flags 0x0C: source MAC present + replicate)
   */
  private void sendMulticastFrame(Network n, long to, MulticastGroup group, long src, int et, byte[] f, int p,
      int plen, int gatherLimit, boolean replicate, long now) {
    n.pushCredentialsIfNeeded(to, now);
    NetworkConfig c = n.config;
    int flags = replicate ? 0x0c : (gatherLimit > 0 ? 0x02 : 0x00);
    WireWriter w = node.begin(to, Verb.MULTICAST_FRAME);
    w.u64(n.id).u8(flags);
    if ((flags & 0x02) != 0) {
      w.u32(gatherLimit);
    }
    if ((flags & 0x04) != 0) {
      writeMac(w, src);
    }
    writeMac(w, group.mac());
    w.u32(group.adi() & 0xffffffffL).u16(et).bytes(f, p, plen);
    node.send(w, c == null || !c.compressionDisabled(), gatherLimit > 0 && !replicate);
  }
}
