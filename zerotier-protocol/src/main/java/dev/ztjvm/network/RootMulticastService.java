package dev.ztjvm.network;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.node.Vl2Hook;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.vl2.MulticastGroup;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The multicast directory of a root (spec 3.9, 3.13), as ZeroTier One's roots keep it: a root accepts MULTICAST_LIKE
 * from any peer and answers MULTICAST_GATHER for any network with members that announced the group, which is how
 * members of ad-hoc networks and of networks whose controller does not answer gathers find each other.
 *
 * <p>Answer format (ZeroTier One's {@code Multicaster::gather}): OK(MULTICAST_GATHER) with the network ID, group MAC
 * and ADI, then the number of members known (the asker included when it is one), the number listed and their
 * addresses, in random order so that repeated gathers see different subsets of a large group; the asker is never
 * listed; no answer when there is nobody to list. The directory is bounded ({@value #MAX_SUBSCRIPTIONS}
 * subscriptions, the one renewed longest ago forgotten first) and subscriptions expire after {@value
 * MulticastSubscriptions#EXPIRE_MILLIS} ms without a renewing LIKE.
 *
 * <p>Roots install it with {@link #install(Vl1Node)}; it runs on the node's loop.
 */
public final class RootMulticastService implements Vl2Hook {

  static final int MAX_SUBSCRIPTIONS = 262_144;
  private static final long EXPIRE_INTERVAL_NANOS = 60_000_000_000L;
  /** Addresses that fit in one OK(MULTICAST_GATHER) after its fixed fields. */
  private static final int MAX_REPLY_MEMBERS = (Packet.MAX_PACKET_LENGTH - Packet.HEADER_LENGTH - 64) / 5;

  private record GroupKey(long networkId, MulticastGroup group) {}

  private record Subscription(GroupKey group, long member) {}

  /** Every subscription with the time it was last renewed; iteration order is renewal order (oldest first). */
  private final LinkedHashMap<Subscription, Long> subscriptions = new LinkedHashMap<>();
  private final Map<GroupKey, Set<Long>> members = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private long likes;
  private long gathersAnswered;
  private long evicted;

  /**
   * Installs a directory on a root node (as its {@link Vl2Hook}) and expires it every minute on the node's loop.
   * Callable from any thread.
   */
  public static RootMulticastService install(Vl1Node root) {
    RootMulticastService service = new RootMulticastService();
    root.setVl2Hook(service);
    EventLoop loop = root.loop();
    loop.execute(() -> service.scheduleExpiry(root));
    return service;
  }

  private void scheduleExpiry(Vl1Node root) {
    root.loop().schedule(EXPIRE_INTERVAL_NANOS, () -> {
      if (root.vl2Hook() == this) {
        expire(root.now());
        scheduleExpiry(root);
      }
    });
  }

  /** Subscriptions recorded so far (LIKE tuples, renewals included). */
  public long likes() {
    return likes;
  }

  /** Gathers answered with at least one member. */
  public long gathersAnswered() {
    return gathersAnswered;
  }

  /** Subscriptions held now. */
  public int size() {
    return subscriptions.size();
  }

  /** Subscriptions forgotten early because the directory was full. */
  public long evicted() {
    return evicted;
  }

  @Override
  public void onPacket(Vl1Node node, long source, int verbCode, byte[] pkt, int off, int len, int hops, long now) {
    int p = off + Packet.IDX_PAYLOAD;
    int end = off + len;
    if (verbCode == Verb.MULTICAST_LIKE.code()) {
      for (; p + 18 <= end; p += 18) {
        GroupKey g = new GroupKey(
            Bytes.u64(pkt, p), new MulticastGroup(MacAddress.read(pkt, p + 8), (int) Bytes.u32(pkt, p + 14)));
        subscribe(g, source, now);
        likes++;
      }
    } else if (verbCode == Verb.MULTICAST_GATHER.code() && end - p >= 23) {
      // network ID (8), flags (1), MAC (6), ADI (4), gather limit (4); a certificate may follow (not needed here)
      long nwid = Bytes.u64(pkt, p);
      MulticastGroup group = new MulticastGroup(MacAddress.read(pkt, p + 9), (int) Bytes.u32(pkt, p + 15));
      long limit = Math.min(Bytes.u32(pkt, p + 19), 0xffff);
      answerGather(node, source, Packet.packetId(pkt, off), new GroupKey(nwid, group), (int) limit, now);
    }
  }

  private void subscribe(GroupKey g, long member, long now) {
    Subscription s = new Subscription(g, member);
    if (subscriptions.remove(s) == null) {
      while (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
        Iterator<Subscription> oldest = subscriptions.keySet().iterator();
        forget(oldest.next());
        oldest.remove();
        evicted++;
      }
      members.computeIfAbsent(g, k -> new LinkedHashSet<>()).add(member);
    }
    subscriptions.put(s, now);
  }

  private void forget(Subscription s) {
    Set<Long> m = members.get(s.group());
    if (m != null) {
      m.remove(s.member());
      if (m.isEmpty()) {
        members.remove(s.group());
      }
    }
  }

  private void answerGather(Vl1Node node, long asker, long packetId, GroupKey g, int limit, long now) {
    Set<Long> m = members.get(g);
    if (limit == 0 || m == null) {
      return;
    }
    List<Long> candidates = new ArrayList<>(m.size());
    for (long a : m) {
      Long renewed = subscriptions.get(new Subscription(g, a));
      if (a != asker && renewed != null && now - renewed < MulticastSubscriptions.EXPIRE_MILLIS) {
        candidates.add(a);
      }
    }
    int n = Math.min(candidates.size(), Math.min(limit, MAX_REPLY_MEMBERS));
    if (n == 0) {
      return;
    }
    // A partial Fisher–Yates shuffle: the first n are a uniform random subset in random order.
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(candidates.size() - i);
      Long t = candidates.get(i);
      candidates.set(i, candidates.get(j));
      candidates.set(j, t);
    }
    MulticastGroup group = g.group();
    WireWriter w = node.begin(asker, Verb.OK);
    w.u8(Verb.MULTICAST_GATHER.code()).u64(packetId).u64(g.networkId());
    w.u16((int) (group.mac() >>> 32)).u32(group.mac() & 0xffffffffL).u32(group.adi() & 0xffffffffL);
    w.u32(m.size()).u16(n);
    for (int i = 0; i < n; i++) {
      w.u40(candidates.get(i));
    }
    node.send(w, false, false);
    gathersAnswered++;
  }

  /** Drops subscriptions not renewed within the expiry time (the root's loop calls this every minute). */
  public void expire(long nowMillis) {
    for (Iterator<Map.Entry<Subscription, Long>> it = subscriptions.entrySet().iterator(); it.hasNext();) {
      Map.Entry<Subscription, Long> e = it.next();
      if (nowMillis - e.getValue() < MulticastSubscriptions.EXPIRE_MILLIS) {
        break; // renewal order: the rest are newer
      }
      forget(e.getKey());
      it.remove();
    }
  }
}
