package dev.ztjvm.netstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.testing.LinkFaults;
import dev.ztjvm.netstack.testing.SimulatedLink;
import dev.ztjvm.netstack.testing.VirtualClock;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Malformed frames never throw out of {@link NetworkInterface#receiveFrame} (the interface's safety net counts any
 * exception as an internal error, which must stay zero) and every frame ends counted: dropped at some layer or
 * consumed by a terminal one.
 */
class FrameFuzzTest {

  private static final long SEED = 0x5eed_f022L;

  @Test
  void mutatedFramesAreDroppedAndCountedShortRun() {
    run(SEED, 20_000);
  }

  @Test
  @Tag("fuzz")
  void mutatedFramesAreDroppedAndCountedMillion() {
    run(SEED + 1, 1_000_000);
  }

  private static long terminal(NetstackStatistics s) {
    LayerStatistics[] all = {
        s.ethernet(), s.arp(), s.ipv4(), s.ipv4Reassembly(), s.ipv6(), s.ipv6Reassembly(), s.icmpv4(), s.icmpv6(),
        s.neighborDiscovery(), s.udp()};
    long t = 0;
    for (LayerStatistics l : all) {
      t += l.dropped() + l.ignored();
    }
    return t + s.arp().delivered() + s.icmpv4().delivered() + s.icmpv6().delivered()
        + s.neighborDiscovery().delivered() + s.udp().delivered() + s.ipv4Reassembly().delivered()
        + s.ipv6Reassembly().delivered();
  }

  static void run(long seed, int inputs) {
    FrameFuzzer fuzzer = new FrameFuzzer();
    Random r = new Random(seed);
    VirtualClock clock = new VirtualClock(5_000_000_000L);
    SimulatedLink link = new SimulatedLink(clock, seed, LinkFaults.NONE);
    NetworkInterface target = null;
    for (int i = 0; i < inputs; i++) {
      if (i % 50_000 == 0) {
        // A fresh target now and then, so state (caches, reassembly) does not saturate.
        target = link.attach(InterfaceConfig.builder(TwoHosts.MAC_B).mtu(1280).build());
        target.addAddress(TwoHosts.B4, 24);
        target.addAddress(TwoHosts.B6, 64);
        target.udp().open().bind(null, 4000);
      }
      byte[] frame = fuzzer.mutate(r);
      long before = terminal(target.statistics());
      target.receiveFrame(frame, 0, frame.length, clock.now());
      NetstackStatistics after = target.statistics();
      if (after.internalErrors() != 0 || terminal(after) <= before) {
        throw new AssertionError("seed " + seed + " input " + i + ": "
            + (after.internalErrors() != 0 ? "exception inside the stack" : "frame not accounted for")
            + " frame=" + java.util.HexFormat.of().formatHex(frame));
      }
      if (i % 64 == 0) {
        clock.advanceBy(50_000_000L);
        target.poll(clock.now());
        while (link.inFlight() > 0) {
          clock.advanceTo(link.nextDelivery());
          link.deliverDue();
        }
      }
    }
    NetstackStatistics s = target.statistics();
    assertThat(s.ethernet().received()).isEqualTo(s.ethernet().delivered() + s.ethernet().dropped());
    assertThat(s.internalErrors()).isZero();
  }
}
