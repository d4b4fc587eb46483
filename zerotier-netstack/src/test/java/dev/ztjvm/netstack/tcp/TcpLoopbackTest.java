package dev.ztjvm.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.ip.IpSender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Connections to the stack's own address through an IP layer that loops segments back synchronously. */
class TcpLoopbackTest {

  static final class SyncLoopback implements IpSender, LocalAddresses {
    final byte[] addr = {127, 0, 0, 1};
    @Nullable TcpStack stack;
    long now = 1_000_000_000L;
    int sent;

    @Override
    public boolean send(byte[] src, byte[] dst, int protocol, byte[] payload, int off, int len) {
      sent++;
      stack.receive(src, dst, payload, off, len, now); // re-entrant on purpose
      return true;
    }

    @Override
    public int maxPayload(byte[] dst) {
      return 65535 - 20;
    }

    @Override
    public boolean isLocal(byte[] address) {
      return Arrays.equals(address, addr);
    }

    @Override
    public byte @Nullable [] sourceFor(byte[] remote) {
      return addr.clone();
    }
  }

  @Test
  void synchronousLoopbackIsSafeAndCarriesData() {
    SyncLoopback lo = new SyncLoopback();
    TcpStack stack = new TcpStack(lo, lo, TcpConfig.builder().maxMss(16_000).build(), 1);
    lo.stack = stack;
    List<Recorder> server = new ArrayList<>();
    List<TcpConnection> accepted = new ArrayList<>();
    stack.listen(null, 80, 4, l -> {
      TcpConnection c = l.accept();
      Recorder r = new Recorder();
      c.setHandler(r);
      accepted.add(c);
      server.add(r);
    });
    Recorder cr = new Recorder();
    TcpConnection c = stack.connect(lo.addr, 80, cr);
    byte[] data = new byte[300_000];
    new java.util.Random(3).nextBytes(data);
    for (int i = 0; i < 1000 && !(cr.connected && !server.isEmpty()); i++) {
      lo.now += 1_000_000;
      stack.poll(lo.now);
    }
    assertThat(cr.connected).isTrue();
    int off = 0;
    for (int i = 0; i < 100_000 && server.get(0).received.size() < data.length; i++) {
      if (off < data.length) {
        off += c.write(data, off, data.length - off);
      }
      lo.now += 100_000;
      stack.poll(Math.max(lo.now, Math.min(lo.now + 50_000_000, stack.nextDeadline())));
    }
    assertThat(server.get(0).received.toByteArray()).isEqualTo(data);
    assertThat(c.mss()).isEqualTo(16_000 - 12);
    c.close();
    accepted.get(0).close();
    for (int i = 0; i < 100 && !(cr.closed && server.get(0).closed); i++) {
      lo.now += 1_000_000;
      stack.poll(lo.now);
    }
    assertThat(cr.closed).isTrue();
    assertThat(server.get(0).closed).isTrue();
    assertThat(cr.cause).isNull();
  }
}
