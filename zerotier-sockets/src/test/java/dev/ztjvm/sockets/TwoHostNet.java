package dev.ztjvm.sockets;

import dev.ztjvm.netstack.InterfaceConfig;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.tcp.TcpConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Two {@link NetstackHost}s, each with its own event loop, joined by an in-memory Ethernet wire: a frame sent by
 * one interface is copied and posted to the other host's loop. A = 10.147.17.1/24 + fd00:5a::1/64,
 * B = .2 / ::2.
 */
public final class TwoHostNet implements AutoCloseable {

  public final NetstackHost a;
  public final NetstackHost b;
  public final NetworkInterface nifA;
  public final NetworkInterface nifB;
  /** When set, frames are silently lost (a cut cable). */
  public final AtomicBoolean cut = new AtomicBoolean();

  public static final InetAddress A4 = addr("10.147.17.1");
  public static final InetAddress B4 = addr("10.147.17.2");
  public static final InetAddress A6 = addr("fd00:5a::1");
  public static final InetAddress B6 = addr("fd00:5a::2");
  /** On the subnet, but nobody has it: ARP/ND never answers. */
  public static final InetAddress SILENT4 = addr("10.147.17.99");

  public TwoHostNet() throws Exception {
    this(TcpConfig.defaults());
  }

  public TwoHostNet(TcpConfig tcp) throws Exception {
    a = NetstackHost.withOwnLoop("host-a");
    b = NetstackHost.withOwnLoop("host-b");
    NetworkInterface[] peer = new NetworkInterface[2];
    nifA = a.addInterface(InterfaceConfig.builder(new MacAddress(0x02_00_00_00_00_01L)).build(),
        (f, off, len) -> {
          if (!cut.get()) {
            b.receiveFrame(peer[1], f, off, len);
          }
        }, tcp);
    nifB = b.addInterface(InterfaceConfig.builder(new MacAddress(0x02_00_00_00_00_02L)).build(),
        (f, off, len) -> {
          if (!cut.get()) {
            a.receiveFrame(peer[0], f, off, len);
          }
        }, tcp);
    peer[0] = nifA;
    peer[1] = nifB;
    a.call(() -> {
      nifA.addAddress(A4, 24);
      nifA.addAddress(A6, 64);
      return null;
    });
    b.call(() -> {
      nifB.addAddress(B4, 24);
      nifB.addAddress(B6, 64);
      return null;
    });
    a.wakeup();
    b.wakeup();
  }

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    a.close();
    b.close();
  }
}
