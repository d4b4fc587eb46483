package dev.ztjvm.network;

import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.node.Vl2Hook;
import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.vl2.MulticastGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The multicast directory a root keeps (spec 3.9, 3.13): roots accept MULTICAST_LIKE from anyone and answer
 * MULTICAST_GATHER for any network, which is how members of ad-hoc networks (no controller) and of networks whose
 * controller does not answer gathers find each other. Install on a root node with {@code node.setVl2Hook(new
 * RootMulticastService())}; runs on the node's loop.
 */
public final class RootMulticastService implements Vl2Hook {
  private static final int MAX_NETWORKS = 65_536;
  private static final int MAX_REPLY_MEMBERS = 255;

  private final Map<Long, MulticastSubscriptions> networks = new HashMap<>();
  private final SplittableRandom random = new SplittableRandom();
  private long likes;
  private long gathersAnswered;

  /** Subscriptions recorded so far (LIKE tuples). */
  public long likes() {
    return likes;
  }

  /** Gathers answered with at least one member. */
  public long gathersAnswered() {
    return gathersAnswered;
  }

  @Override
  public void onPacket(Vl1Node node, long source, int verbCode, byte[] pkt, int off, int len, int hops, long now) {
    int p = off + Packet.IDX_PAYLOAD;
    int end = off + len;
    if (verbCode == Verb.MULTICAST_LIKE.code()) {
      for (; p + 18 <= end; p += 18) {
        long nwid = Bytes.u64(pkt, p);
        MulticastSubscriptions s = networks.get(nwid);
        if (s == null) {
          if (networks.size() >= MAX_NETWORKS) {
            continue;
          }
          s = new MulticastSubscriptions();
          networks.put(nwid, s);
        }
        s.add(new MulticastGroup(MacAddress.read(pkt, p + 8), (int) Bytes.u32(pkt, p + 14)), source, now);
        likes++;
      }
    } else if (verbCode == Verb.MULTICAST_GATHER.code() && end - p >= 23) {
      long nwid = Bytes.u64(pkt, p);
      MulticastSubscriptions s = networks.get(nwid);
      long limit = Bytes.u32(pkt, p + 19);
      if (s == null || limit == 0) {
        return;
      }
      MulticastGroup group = new MulticastGroup(MacAddress.read(pkt, p + 9), (int) Bytes.u32(pkt, p + 15));
      List<Long> all = s.members(group, now, Integer.MAX_VALUE, source, random);
      int n = (int) Math.min(all.size(), Math.min(limit, MAX_REPLY_MEMBERS));
      if (n == 0) {
        return;
      }
      WireWriter w = node.begin(source, Verb.OK);
      w.u8(Verb.MULTICAST_GATHER.code()).u64(Packet.packetId(pkt, off)).u64(nwid);
      w.u16((int) (group.mac() >>> 32)).u32(group.mac() & 0xffffffffL).u32(group.adi() & 0xffffffffL);
      w.u32(all.size()).u16(n);
      for (int i = 0; i < n; i++) {
        w.u40(all.get(i));
      }
      node.send(w, true, false);
      gathersAnswered++;
    }
  }

  /** Drops expired subscriptions (call now and then, e.g. every minute). */
  public void expire(long nowMillis) {
    networks.values().removeIf(s -> {
      s.expire(nowMillis);
      return false;
    });
  }
}
