package dev.ztjvm.netstack;

import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.testing.LinkFaults;
import dev.ztjvm.netstack.testing.SimulatedLink;
import dev.ztjvm.netstack.testing.SimulationDriver;
import dev.ztjvm.netstack.testing.VirtualClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Two interfaces A (10.0.0.1/24, fd00::1/64) and B (10.0.0.2/24, fd00::2/64) on one simulated link. */
final class TwoHosts {
  static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:0a");
  static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:0b");
  static final InetAddress A4 = ip("10.0.0.1");
  static final InetAddress B4 = ip("10.0.0.2");
  static final InetAddress A6 = ip("fd00::1");
  static final InetAddress B6 = ip("fd00::2");
  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;

  final VirtualClock clock = new VirtualClock(1_000 * S);
  final SimulatedLink link;
  final SimulationDriver driver;
  final NetworkInterface a;
  final NetworkInterface b;
  final List<byte[]> frames = new ArrayList<>();
  final List<Long> frameTimes = new ArrayList<>();
  final List<Integer> framePorts = new ArrayList<>();

  TwoHosts() {
    this(LinkFaults.NONE, 1, c -> c);
  }

  TwoHosts(LinkFaults faults, long seed, UnaryOperator<InterfaceConfig.Builder> tweak) {
    link = new SimulatedLink(clock, seed, faults);
    link.setObserver((port, frame, len, now) -> {
      frames.add(frame);
      frameTimes.add(now);
      framePorts.add(port);
    });
    a = link.attach(tweak.apply(InterfaceConfig.builder(MAC_A)).build());
    b = link.attach(tweak.apply(InterfaceConfig.builder(MAC_B)).build());
    a.addAddress(A4, 24);
    a.addAddress(A6, 64);
    b.addAddress(B4, 24);
    b.addAddress(B6, 64);
    driver = new SimulationDriver(link).add(a).add(b);
    driver.runFor(10 * MS);
    frames.clear();
    frameTimes.clear();
    framePorts.clear();
  }

  long now() {
    return clock.now();
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Frames sent with the given EtherType. */
  List<byte[]> framesOfType(int etherType) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] f : frames) {
      if (f.length >= 14 && (((f[12] & 0xff) << 8) | (f[13] & 0xff)) == etherType) {
        out.add(f);
      }
    }
    return out;
  }
}
