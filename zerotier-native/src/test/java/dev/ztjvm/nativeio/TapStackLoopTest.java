package dev.ztjvm.nativeio;

import static dev.ztjvm.nativeio.testing.Frames.ETHERTYPE_ARP;
import static dev.ztjvm.nativeio.testing.Frames.ETHERTYPE_IPV4;
import static dev.ztjvm.nativeio.testing.Frames.PROTO_ICMP;
import static dev.ztjvm.nativeio.testing.Frames.etherType;
import static dev.ztjvm.nativeio.testing.Frames.ip;
import static dev.ztjvm.nativeio.testing.Frames.slice;
import static dev.ztjvm.nativeio.testing.Frames.u16;
import static dev.ztjvm.nativeio.testing.NetnsFixture.OUR_V4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.nativeio.testing.Frames;
import dev.ztjvm.nativeio.testing.LinuxProcess;
import dev.ztjvm.nativeio.testing.NetnsFixture;
import dev.ztjvm.nativeio.testing.TapStackLoop;
import dev.ztjvm.testing.NeedsRoot;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The loop harness that later carries the netstack, shown with a responder of a few lines (ARP and ICMP echo for
 * one IPv4 address) so that a failure here points at the harness, the TAP or the namespace, not at the stack:
 * Linux's own {@code ping} (iputils) is answered through it, and an address nobody answers is not.
 */
@NeedsRoot("TAP device in a network namespace")
class TapStackLoopTest {

  private static final byte[] OUR_MAC = {0x02, 0x00, 0x00, 0x77, 0x00, 0x09};

  @Test
  void linuxPingIsAnsweredThroughTheLoop() throws Exception {
    try (NetnsFixture net = NetnsFixture.create(1500)) {
      TapStackLoop loop = new TapStackLoop(net.tap(), "responder");
      EchoResponder responder = new EchoResponder(loop);
      loop.start(responder);
      try {
        try (LinuxProcess ping = net.start("ping", "-c", "3", "-i", "0.2", "-W", "5", OUR_V4)) {
          ping.awaitSuccess(Duration.ofSeconds(60));
          assertThat(String.join("\n", ping.output())).contains("3 received");
        }
        assertThat(loop.call(() -> responder.echoesAnswered)).isEqualTo(3);

        try (LinuxProcess ping = net.start("ping", "-c", "1", "-W", "1", "10.77.0.3")) {
          assertThat(ping.awaitExit(Duration.ofSeconds(60))).as("ping to an address nobody answers").isNotZero();
        }
      } finally {
        loop.close();
      }
    }
  }

  /** Answers ARP requests and ICMP echo requests for {@link NetnsFixture#OUR_V4}; nothing else. */
  private static final class EchoResponder implements TapStackLoop.Stack {
    private final TapStackLoop loop;
    int echoesAnswered;

    EchoResponder(TapStackLoop loop) {
      this.loop = loop;
    }

    @Override
    public void receiveFrame(byte[] frame, int off, int len, long nowNanos) {
      byte[] f = Arrays.copyOfRange(frame, off, off + len);
      byte[] ours = ip(OUR_V4);
      if (etherType(f) == ETHERTYPE_ARP && u16(f, 20) == 1 && Arrays.equals(slice(f, 38, 4), ours)) {
        byte[] reply = Frames.arpReply(OUR_MAC, ours, slice(f, 22, 6), slice(f, 28, 4));
        loop.sendFrame(reply, 0, reply.length);
      } else if (etherType(f) == ETHERTYPE_IPV4 && (f[23] & 0xff) == PROTO_ICMP && f[34] == 8
          && Arrays.equals(slice(f, 30, 4), ours)) {
        int ihl = (f[14] & 0x0f) * 4;
        int icmpLength = u16(f, 16) - ihl;
        byte[] request = slice(f, 14 + ihl, icmpLength);
        byte[] reply = Frames.icmpv4Echo(0, u16(request, 4), u16(request, 6), slice(request, 8, icmpLength - 8));
        byte[] out = Frames.ipv4(slice(f, 6, 6), OUR_MAC, ours, slice(f, 26, 4), PROTO_ICMP, reply);
        loop.sendFrame(out, 0, out.length);
        echoesAnswered++;
      }
    }

    @Override
    public void poll(long nowNanos) {}

    @Override
    public long nextDeadline() {
      return Long.MAX_VALUE;
    }
  }
}
