package dev.ztjvm.network;

import dev.ztjvm.vl2.MulticastGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Who subscribed to which multicast group on one network (learned from MULTICAST_LIKE and gather results), with the
 * 1.x expiry of 600 s. Used by members and by the controller to answer MULTICAST_GATHER. Not thread-safe.
 */
public final class MulticastSubscriptions {
  /** Subscriptions are forgotten after this long without a renewing LIKE (MULTICAST_LIKE_EXPIRE). */
  public static final long EXPIRE_MILLIS = 600_000;
  private static final int MAX_GROUPS = 4096;
  private static final int MAX_MEMBERS_PER_GROUP = 4096;

  private final Map<MulticastGroup, LinkedHashMap<Long, Long>> groups = new HashMap<>();

  /** Records that {@code member} subscribes to {@code group} (seen at {@code nowMillis}). */
  public void add(MulticastGroup group, long member, long nowMillis) {
    LinkedHashMap<Long, Long> m = groups.get(group);
    if (m == null) {
      if (groups.size() >= MAX_GROUPS) {
        return;
      }
      m = new LinkedHashMap<>();
      groups.put(group, m);
    }
    if (m.size() >= MAX_MEMBERS_PER_GROUP && !m.containsKey(member)) {
      return;
    }
    m.put(member, nowMillis);
  }

  /** Removes one subscription (e.g. after ERROR UNWANTED_MULTICAST). */
  public void remove(MulticastGroup group, long member) {
    Map<Long, Long> m = groups.get(group);
    if (m != null) {
      m.remove(member);
    }
  }

  /** Removes a member from every group. */
  public void removeMember(long member) {
    for (Map<Long, Long> m : groups.values()) {
      m.remove(member);
    }
  }

  /** Number of live subscribers of a group. */
  public int count(MulticastGroup group, long nowMillis) {
    return members(group, nowMillis, Integer.MAX_VALUE, 0, null).size();
  }

  /**
   * Up to {@code limit} live subscribers of a group other than {@code exclude}, in random order if {@code random} is
   * given.
   */
  public List<Long> members(MulticastGroup group, long nowMillis, int limit, long exclude,
      @org.jspecify.annotations.Nullable SplittableRandom random) {
    Map<Long, Long> m = groups.get(group);
    List<Long> out = new ArrayList<>();
    if (m == null) {
      return out;
    }
    for (Iterator<Map.Entry<Long, Long>> it = m.entrySet().iterator(); it.hasNext();) {
      Map.Entry<Long, Long> e = it.next();
      if (nowMillis - e.getValue() > EXPIRE_MILLIS) {
        it.remove();
      } else if (e.getKey() != exclude) {
        out.add(e.getKey());
      }
    }
    if (random != null) {
      for (int i = out.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        Long t = out.get(i);
        out.set(i, out.get(j));
        out.set(j, t);
      }
    }
    return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
  }

  /** Drops expired subscriptions and empty groups. */
  public void expire(long nowMillis) {
    for (Iterator<LinkedHashMap<Long, Long>> it = groups.values().iterator(); it.hasNext();) {
      LinkedHashMap<Long, Long> m = it.next();
      m.values().removeIf(t -> nowMillis - t > EXPIRE_MILLIS);
      if (m.isEmpty()) {
        it.remove();
      }
    }
  }
}
