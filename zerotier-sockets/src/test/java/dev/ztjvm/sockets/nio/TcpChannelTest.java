package dev.ztjvm.sockets.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.sockets.TwoHostNet;
import dev.ztjvm.sockets.TwoHostNetExtension;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TwoHostNetExtension.class)
@Timeout(120)
class TcpChannelTest {

  private TwoHostNet net; // a fresh one for each test

  /** An echo server on B: reads what it can, writes it back, honours backpressure by pausing reads. */
  private void startEchoServer(int port) throws Exception {
    net.b.call(() -> TcpServerChannel.listen(net.b, new InetSocketAddress(port), 2048, server -> {
      while (server.accept(new EchoHandler()) != null) {
        // each accepted channel runs on its handler
      }
    }));
  }

  private static final class EchoHandler implements TcpChannelHandler {
    private final ByteBuffer pending = ByteBuffer.allocate(64 * 1024).flip();

    @Override
    public void onReadable(TcpChannel ch) {
      pump(ch);
    }

    @Override
    public void onWritable(TcpChannel ch) {
      pump(ch);
      ch.setReadInterest(true);
    }

    private void pump(TcpChannel ch) {
      try {
        while (true) {
          if (pending.hasRemaining()) {
            ch.write(pending);
            if (pending.hasRemaining()) {
              ch.setReadInterest(false); // wait for onWritable
              return;
            }
          }
          pending.clear();
          int n = ch.read(pending);
          pending.flip();
          if (n < 0) {
            ch.shutdownOutput();
            return;
          }
          if (n == 0) {
            return;
          }
        }
      } catch (IOException e) {
        ch.abort();
      }
    }
  }

  @Test
  void thousandConcurrentConnectionsEchoOnOneLoopEach() throws Exception {
    net.close();
    // room for all SYNs at once (the default half-open bound of 256 would only delay the rest by SYN retries)
    net = new TwoHostNet(dev.ztjvm.netstack.tcp.TcpConfig.builder().synBacklog(2048).build());
    startEchoServer(5000);
    java.util.List<TcpChannel> echoedChannels = new java.util.ArrayList<>(); // loop A only
    int count = 1000;
    CountDownLatch done = new CountDownLatch(count);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger maxOpen = new AtomicInteger();
    AtomicInteger open = new AtomicInteger();
    ConcurrentHashMap<Integer, String> failures = new ConcurrentHashMap<>();
    net.a.call(() -> {
      for (int i = 0; i < count; i++) {
        final int id = i;
        byte[] msg = ("connection " + id + " says hello").getBytes();
        TcpChannel.connect(net.a, new InetSocketAddress(i % 2 == 0 ? TwoHostNet.B4 : TwoHostNet.B6, 5000), null,
            60_000, new TcpChannelHandler() {
              final ByteBuffer got = ByteBuffer.allocate(msg.length + 16); // room left, so EOF shows as -1

              @Override
              public void onConnected(TcpChannel ch) {
                maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                try {
                  assertThat(ch.write(msg, 0, msg.length)).isEqualTo(msg.length);
                } catch (IOException e) {
                  failures.put(id, e.toString());
                }
              }

              @Override
              public void onReadable(TcpChannel ch) {
                int n;
                while ((n = ch.read(got)) > 0) {
                  // keep reading
                }
                if (got.position() >= msg.length && ch.attachment() == null) {
                  ch.attach("echoed");
                  if (got.position() != msg.length
                      || !java.util.Arrays.equals(java.util.Arrays.copyOf(got.array(), msg.length), msg)) {
                    failures.put(id, "echo mismatch");
                  }
                  echoedChannels.add(ch);
                  if (echoedChannels.size() == count) {
                    // every connection is open and has its echo: now half-close them all; servers answer with FIN
                    for (TcpChannel c : echoedChannels) {
                      c.shutdownOutput();
                    }
                  }
                }
                if (n < 0) {
                  ok.incrementAndGet();
                  ch.close();
                }
              }

              @Override
              public void onClosed(TcpChannel ch, @Nullable IOException cause) {
                open.decrementAndGet();
                if (cause != null) {
                  failures.put(id, cause.toString());
                }
                done.countDown();
              }
            });
      }
      return null;
    });
    assertThat(done.await(100, TimeUnit.SECONDS)).as("failures %s", failures).isTrue();
    assertThat(failures).isEmpty();
    assertThat(ok.get()).isEqualTo(count);
    assertThat(maxOpen.get()).isEqualTo(count);
  }

  @Test
  void demandOffHoldsTheSenderBackAndDemandOnDrainsEverything() throws Exception {
    AtomicLong received = new AtomicLong();
    CompletableFuture<TcpChannel> serverSide = new CompletableFuture<>();
    AtomicInteger readableCallsWhileOff = new AtomicInteger();
    TcpChannelHandler sink = new TcpChannelHandler() {
      @Override
      public void onReadable(TcpChannel ch) {
        if (!ch.readInterest()) {
          readableCallsWhileOff.incrementAndGet();
        }
        byte[] buf = new byte[65536];
        int n;
        while ((n = ch.read(buf, 0, buf.length)) > 0) {
          received.addAndGet(n);
        }
      }
    };
    net.b.call(() -> TcpServerChannel.listen(net.b, new InetSocketAddress(TwoHostNet.B4, 5001), 0, server -> {
      TcpChannel ch = server.accept(sink);
      if (ch != null) {
        ch.setReadInterest(false); // AUTO_READ=false: nothing is read until asked
        serverSide.complete(ch);
      }
    }));
    AtomicLong written = new AtomicLong();
    AtomicInteger writableEvents = new AtomicInteger();
    CompletableFuture<TcpChannel> clientSide = new CompletableFuture<>();
    byte[] block = new byte[256 * 1024];
    TcpChannelHandler writer = new TcpChannelHandler() {
      @Override
      public void onConnected(TcpChannel ch) {
        fill(ch);
        clientSide.complete(ch);
      }

      @Override
      public void onWritable(TcpChannel ch) {
        writableEvents.incrementAndGet();
        fill(ch);
      }

      void fill(TcpChannel ch) {
        try {
          int n;
          while ((n = ch.write(block, 0, block.length)) > 0) {
            written.addAndGet(n);
          }
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }
    };
    net.a.call(() -> TcpChannel.connect(net.a, new InetSocketAddress(TwoHostNet.B4, 5001), null, 0, writer));
    TcpChannel client = clientSide.get(30, TimeUnit.SECONDS);
    TcpChannel server = serverSide.get(30, TimeUnit.SECONDS);

    // With demand off the receiver buffers up to its window, then the sender's buffer fills and stays full.
    long plateau = waitForPlateau(written);
    int sendBuffer = net.a.call(client::sendBufferSize);
    int receiveWindow = net.b.call(server::receiveBufferSize);
    assertThat(plateau).isLessThanOrEqualTo((long) sendBuffer + receiveWindow);
    assertThat(plateau).isGreaterThanOrEqualTo(sendBuffer);
    assertThat(net.a.call(client::writableBytes)).isZero();
    assertThat(received.get()).isZero();
    assertThat(readableCallsWhileOff.get()).isZero();
    assertThat(net.b.call(server::available)).isPositive();
    int writableBefore = writableEvents.get();

    // Demand on: the buffered data is delivered, the writer hears it may write again, and more flows.
    net.b.call(() -> {
      server.setReadInterest(true);
      return null;
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.get() <= plateau && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(received.get()).isGreaterThan(plateau);
    assertThat(writableEvents.get()).isGreaterThan(writableBefore);
    net.a.call(() -> {
      client.abort();
      return null;
    });
  }

  private static long waitForPlateau(AtomicLong counter) throws InterruptedException {
    long last = -1;
    int stable = 0;
    while (stable < 30) {
      Thread.sleep(20);
      long now = counter.get();
      stable = now == last && now > 0 ? stable + 1 : 0;
      last = now;
    }
    return last;
  }

  @Test
  void connectFailuresArriveAsClosedWithCause() throws Exception {
    CompletableFuture<IOException> refused = new CompletableFuture<>();
    CompletableFuture<IOException> timedOut = new CompletableFuture<>();
    net.a.call(() -> {
      TcpChannel.connect(net.a, new InetSocketAddress(TwoHostNet.B6, 5999), null, 0, closedWith(refused));
      TcpChannel.connect(net.a, new InetSocketAddress(TwoHostNet.SILENT4, 80), null, 200, closedWith(timedOut));
      return null;
    });
    assertThat(refused.get(30, TimeUnit.SECONDS)).isInstanceOf(ConnectException.class)
        .hasMessage("Connection refused");
    assertThat(timedOut.get(30, TimeUnit.SECONDS)).isInstanceOf(SocketTimeoutException.class);
  }

  private static TcpChannelHandler closedWith(CompletableFuture<IOException> f) {
    return new TcpChannelHandler() {
      @Override
      public void onConnected(TcpChannel ch) {
        f.completeExceptionally(new AssertionError("connected"));
      }

      @Override
      public void onClosed(TcpChannel ch, @Nullable IOException cause) {
        f.complete(cause);
      }
    };
  }

  @Test
  void directBuffersCarryEveryByteBothWays() throws Exception {
    int size = 3 * 1024 * 1024 + 17;
    java.util.Random random = new java.util.Random(7);
    byte[] payload = new byte[size];
    random.nextBytes(payload);
    CompletableFuture<byte[]> got = new CompletableFuture<>();
    net.b.call(() -> TcpServerChannel.listen(net.b, new InetSocketAddress(5002), 0, server -> {
      server.accept(new TcpChannelHandler() {
        final java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        final ByteBuffer direct = ByteBuffer.allocateDirect(10_000);

        @Override
        public void onReadable(TcpChannel ch) {
          int n;
          while ((n = ch.read(direct)) > 0) {
            direct.flip();
            byte[] b = new byte[direct.remaining()];
            direct.get(b);
            all.write(b, 0, b.length);
            direct.clear();
          }
          if (n < 0) {
            got.complete(all.toByteArray());
            ch.close();
          }
        }
      });
    }));
    net.a.call(() -> TcpChannel.connect(net.a, new InetSocketAddress(TwoHostNet.B6, 5002), null, 0,
        new TcpChannelHandler() {
          final ByteBuffer out = ByteBuffer.allocateDirect(size).put(payload).flip();

          @Override
          public void onConnected(TcpChannel ch) {
            onWritable(ch);
          }

          @Override
          public void onWritable(TcpChannel ch) {
            try {
              ch.write(out);
              if (!out.hasRemaining()) {
                ch.shutdownOutput();
              }
            } catch (IOException e) {
              got.completeExceptionally(e);
            }
          }
        }));
    assertThat(got.get(60, TimeUnit.SECONDS)).isEqualTo(payload);
  }

  @Test
  void channelsRefuseCallsFromOtherThreads() {
    assertThatThrownBy(() -> TcpServerChannel.listen(net.b, null, 0, s -> {}))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("loop thread");
  }
}
