package dev.ztjvm.underlay.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The mapping's life: created, renewed before it expires, deleted on stop; refusals reported, not hammered. */
class PortMapperTest {

  @Test
  void mapsRenewsBeforeExpiryAndDeletesOnClose() throws Exception {
    BlockingQueue<Optional<InetSocketAddress>> heard = new LinkedBlockingQueue<>();
    try (PortMapResponder gw = new PortMapResponder(true, "203.0.113.7", 0)) {
      PortMapper mapper = new PortMapper(new PortMapper.Options(gw.address(), 9993, 4, PortMapClientTest.FAST,
          Duration.ofMinutes(10)), a -> heard.add(Optional.ofNullable(a)));
      mapper.start();
      assertThat(heard.poll(30, TimeUnit.SECONDS)).contains(new InetSocketAddress("203.0.113.7", 9993));
      assertThat(gw.requests.take()).isEqualTo(new PortMapResponder.Request("pcp", 1, 9993, 9993, 4));
      // granted 4 s: the renewal comes at half of it, well before expiry, for the port granted
      PortMapResponder.Request renewal = gw.requests.poll(30, TimeUnit.SECONDS);
      assertThat(renewal).isEqualTo(new PortMapResponder.Request("pcp", 1, 9993, 9993, 4));
      assertThat(mapper.state().status()).isEqualTo(PortMapper.Status.MAPPED);
      assertThat(mapper.state().mapping().lifetimeSeconds()).isEqualTo(4);
      mapper.close();
      PortMapResponder.Request last = gw.requests.take();
      while (!gw.requests.isEmpty()) {
        last = gw.requests.take();
      }
      assertThat(last).isEqualTo(new PortMapResponder.Request("pcp", 1, 9993, 0, 0));
      assertThat(mapper.state().status()).isEqualTo(PortMapper.Status.STOPPED);
      assertThat(mapper.state().requests()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aRefusalIsReportedInTheStateAndNotRetriedUntilTheRetryDelay() throws Exception {
    try (PortMapResponder gw = new PortMapResponder(true, "203.0.113.7", 0)) {
      gw.refuseWith(2); // NOT_AUTHORIZED
      PortMapper mapper = new PortMapper(new PortMapper.Options(gw.address(), 9993, 7200, PortMapClientTest.FAST,
          Duration.ofMinutes(10)), a -> {});
      mapper.start();
      assertThat(gw.requests.poll(30, TimeUnit.SECONDS)).isNotNull();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (mapper.state().status() != PortMapper.Status.FAILED && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      PortMapper.State s = mapper.state();
      assertThat(s.status()).isEqualTo(PortMapper.Status.FAILED);
      assertThat(s.lastError().resultCode()).isEqualTo(2);
      assertThat(s.mapping()).isNull();
      assertThat(gw.requests.poll(3, TimeUnit.SECONDS)).isNull(); // beyond the whole retransmission schedule
      mapper.close();
      assertThat(gw.requests).isEmpty(); // nothing mapped, nothing to delete
    }
  }

  @Test
  void closingWhileASilentGatewayIsAskedDoesNotWaitOutTheSchedule() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      PortMapper mapper = new PortMapper(new PortMapper.Options((InetSocketAddress) silent.getLocalSocketAddress(),
          9993, 7200, Retransmission.RFC, Duration.ofMinutes(10)), a -> {});
      mapper.start();
      silent.setSoTimeout(30_000);
      silent.receive(new DatagramPacket(new byte[1100], 1100)); // the first PCP request is out
      // the RFC schedule would keep the request going for 45 s; stopping abandons it
      assertTimeoutPreemptively(Duration.ofSeconds(30), mapper::close);
      assertThat(mapper.state().status()).isEqualTo(PortMapper.Status.STOPPED);
      assertThat(mapper.state().mapping()).isNull();
    }
  }
}
