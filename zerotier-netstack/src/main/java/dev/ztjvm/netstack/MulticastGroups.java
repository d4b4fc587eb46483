package dev.ztjvm.netstack;

import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.ipv4.Ipv4;
import dev.ztjvm.netstack.ipv6.Ipv6;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The multicast groups one {@link NetworkInterface} has joined, reference-counted, and which group destinations it
 * accepts (smoltcp's {@code iface/interface/multicast.rs}). Lookups do not allocate. Confined to the loop.
 */
final class MulticastGroups {

  private static final byte[] SOLICITED_NODE_PREFIX =
      {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff, 0, 0, 0};

  /** Joined groups (4- or 16-byte addresses) and their reference counts, index-aligned. */
  private final ArrayList<byte[]> groups = new ArrayList<>();
  private final ArrayList<int[]> groupRefs = new ArrayList<>();
  private @Nullable Runnable subscriptionListener;

  void setSubscriptionListener(@Nullable Runnable listener) {
    this.subscriptionListener = listener;
  }

  /** @throws IllegalArgumentException if {@code group} is not an IPv4 or IPv6 multicast address */
  void join(byte[] group) {
    if (!isGroupAddress(group)) {
      throw new IllegalArgumentException("not a multicast group address");
    }
    int i = indexOf(group);
    if (i >= 0) {
      groupRefs.get(i)[0]++;
      return;
    }
    groups.add(group.clone());
    groupRefs.add(new int[] {1});
    Runnable l = subscriptionListener;
    if (l != null) {
      l.run();
    }
  }

  /** Drops one reference; returns false if the group was not joined. */
  boolean leave(byte[] group) {
    int i = indexOf(group);
    if (i < 0) {
      return false;
    }
    if (--groupRefs.get(i)[0] == 0) {
      groups.remove(i);
      groupRefs.remove(i);
      Runnable l = subscriptionListener;
      if (l != null) {
        l.run();
      }
    }
    return true;
  }

  boolean isJoined(byte[] group) {
    return indexOf(group) >= 0;
  }

  int references(byte[] group) {
    int i = indexOf(group);
    return i < 0 ? 0 : groupRefs.get(i)[0];
  }

  List<InetAddress> joined() {
    ArrayList<InetAddress> list = new ArrayList<>(groups.size());
    for (byte[] g : groups) {
      try {
        list.add(InetAddress.getByAddress(g));
      } catch (java.net.UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
    return List.copyOf(list);
  }

  /** Adds the Ethernet group address of every joined group to {@code list}, once each. */
  void addSubscriptionMacs(List<MacAddress> list) {
    for (byte[] g : groups) {
      MacAddress m = new MacAddress(g.length == 4 ? Ethernet.ipv4MulticastMac(Bytes.i32(g, 0))
          : Ethernet.ipv6MulticastMac(g, 0));
      if (!list.contains(m)) {
        list.add(m);
      }
    }
  }

  private int indexOf(byte[] group) {
    for (int i = 0, n = groups.size(); i < n; i++) {
      if (Arrays.equals(groups.get(i), group)) {
        return i;
      }
    }
    return -1;
  }

  /** IPv4 multicast we listen to: all-hosts (224.0.0.1) and the joined groups. */
  boolean acceptsV4(int dst) {
    if (dst == 0xe0000001) {
      return true;
    }
    for (int i = 0, n = groups.size(); i < n; i++) {
      byte[] g = groups.get(i);
      if (g.length == 4 && Bytes.i32(g, 0) == dst) {
        return true;
      }
    }
    return false;
  }

  /** IPv6 multicast we listen to: link-local all-nodes, solicited-node groups (neighbour discovery), joined groups. */
  boolean acceptsV6(byte[] b, int off) {
    if (Arrays.equals(b, off, off + 16, Ipv6.ALL_NODES, 0, 16)) {
      return true;
    }
    if (b[off + 1] == 2 && b[off + 11] == 1 && b[off + 12] == (byte) 0xff
        && Arrays.equals(b, off + 2, off + 11, SOLICITED_NODE_PREFIX, 2, 11)) {
      return true;
    }
    for (int i = 0, n = groups.size(); i < n; i++) {
      byte[] g = groups.get(i);
      if (g.length == 16 && Arrays.equals(g, 0, 16, b, off, off + 16)) {
        return true;
      }
    }
    return false;
  }

  static boolean isGroupAddress(byte[] a) {
    return a.length == 4 ? Ipv4.isMulticast(Bytes.i32(a, 0)) : a.length == 16 && Ipv6.isMulticast(a, 0);
  }
}
