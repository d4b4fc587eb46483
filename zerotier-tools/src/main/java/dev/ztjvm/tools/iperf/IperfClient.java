package dev.ztjvm.tools.iperf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.SocketFactory;

/**
 * An iperf3 client: runs one TCP test against an iperf3 server (the real {@code iperf3 -s} or {@link IperfServer})
 * over sockets from a {@link SocketFactory}, printing MB/s per second and the summary.
 */
public final class IperfClient {

  private static final int SETUP_TIMEOUT_MILLIS = 30_000;
  private static final int END_GRACE_MILLIS = 60_000;

  private final SocketFactory sockets;
  private final Consumer<String> out;
  private final String version;

  /**
   * @param sockets makes the control and data connections
   * @param out receives the report lines
   * @param version sent to the server as {@code client_version}
   */
  public IperfClient(SocketFactory sockets, Consumer<String> out, String version) {
    this.sockets = sockets;
    this.out = out;
    this.version = version;
  }

  /**
   * Runs a test of {@code seconds} with {@code parallel} streams; in {@code reverse} mode the server sends.
   *
   * @throws IOException with the reason when the test cannot run or breaks (server busy, refused, connection lost)
   */
  public IperfSummary run(InetSocketAddress server, int seconds, int parallel, boolean reverse)
      throws IOException, InterruptedException {
    IperfParameters p = IperfParameters.client(seconds, parallel, reverse);
    String invalid = p.invalidReason();
    if (invalid != null || seconds < 1) {
      throw new IllegalArgumentException(invalid != null ? invalid : "the duration must be at least 1 s");
    }
    byte[] cookie = IperfProtocol.newCookie();
    List<DataStream> streams = new ArrayList<>();
    Socket control = connect(server);
    Thread ender = null;
    try {
      control.setSoTimeout(SETUP_TIMEOUT_MILLIS);
      InputStream in = control.getInputStream();
      OutputStream o = control.getOutputStream();
      o.write(cookie);
      o.flush();
      TransferMeter meter = null;
      IperfResults ours = null;
      IperfResults theirs = null;
      while (true) {
        int state = IperfProtocol.readState(in);
        switch (state) {
          case IperfProtocol.PARAM_EXCHANGE -> IperfProtocol.writeJson(o, p.toJson(version));
          case IperfProtocol.CREATE_STREAMS -> {
            for (int i = 0; i < parallel; i++) {
              Socket s = connect(server);
              streams.add(new DataStream(DataStream.idOf(i), s, !reverse, p.blockSize()));
              s.getOutputStream().write(cookie);
              s.getOutputStream().flush();
            }
            out.accept("connected to " + server.getAddress().getHostAddress() + " port " + server.getPort() + ": "
                + parallel + " stream(s), " + seconds + " s, " + (reverse ? "the server sends (reverse)"
                    : "this side sends"));
          }
          case IperfProtocol.TEST_START -> {
            // the streams start with TEST_RUNNING
          }
          case IperfProtocol.TEST_RUNNING -> {
            if (meter == null) {
              meter = TransferMeter.start(streams, out);
              for (DataStream s : streams) {
                s.start("iperf-stream");
              }
              ender = endAfter(seconds, streams, meter, o);
              control.setSoTimeout(seconds * 1000 + END_GRACE_MILLIS);
            }
          }
          case IperfProtocol.EXCHANGE_RESULTS -> {
            if (meter == null) {
              throw new IOException("the server asked for results before the test ran");
            }
            if (ender != null) {
              ender.join();
            }
            control.setSoTimeout(SETUP_TIMEOUT_MILLIS);
            ours = IperfServer.results(streams, meter);
            IperfProtocol.writeJson(o, ours.toJson());
            theirs = IperfResults.fromJson(IperfProtocol.readJson(in, IperfProtocol.MAX_RESULTS_JSON));
          }
          case IperfProtocol.DISPLAY_RESULTS -> {
            if (ours == null || theirs == null || meter == null) {
              throw new IOException("the server ended the test without exchanging results");
            }
            DataStream.closeAll(streams, 5000);
            IperfProtocol.writeState(o, IperfProtocol.IPERF_DONE);
            IperfSummary summary = reverse
                ? new IperfSummary(theirs.totalBytes(), theirs.seconds(), ours.totalBytes(), ours.seconds(),
                    ours.totalBytes(), meter.cpuNanos())
                : new IperfSummary(ours.totalBytes(), ours.seconds(), theirs.totalBytes(), theirs.seconds(),
                    ours.totalBytes(), meter.cpuNanos());
            out.accept(summary.totalsLine());
            out.accept(summary.line());
            return summary;
          }
          case IperfProtocol.ACCESS_DENIED ->
            throw new IOException("the server is busy running a test; try again later");
          case IperfProtocol.SERVER_ERROR -> {
            java.io.DataInputStream d = new java.io.DataInputStream(in);
            int errno = d.readInt();
            d.readInt(); // the server's system errno
            throw new IOException("the server refused the test: " + IperfProtocol.describeError(errno));
          }
          case IperfProtocol.SERVER_TERMINATE -> throw new IOException("the server terminated the test");
          default -> throw new IOException("unexpected state " + state + " from the server");
        }
        IOException broken = DataStream.firstFailure(streams);
        if (broken != null) {
          throw new IOException("a data stream broke: " + broken.getMessage(), broken);
        }
      }
    } finally {
      if (ender != null) {
        ender.interrupt();
      }
      DataStream.closeAll(streams, 5000);
      try {
        control.close();
      } catch (IOException e) {
        // closing
      }
    }
  }

  private Socket connect(InetSocketAddress server) throws IOException {
    Socket s = sockets.createSocket();
    try {
      s.connect(server, SETUP_TIMEOUT_MILLIS);
      try {
        s.setTcpNoDelay(true);
      } catch (SocketException e) {
        // optional
      }
      return s;
    } catch (IOException e) {
      s.close();
      throw new IOException("cannot connect to " + server.getAddress().getHostAddress() + " port "
          + server.getPort() + ": " + e.getMessage(), e);
    }
  }

  /**
   * After {@code seconds}: stops the streams, waits for the senders' last writes, then tells the server TEST_END (on
   * its own thread, while the control thread keeps reading states).
   */
  private static Thread endAfter(int seconds, List<DataStream> streams, TransferMeter meter, OutputStream control) {
    Thread t = new Thread(() -> {
      try {
        TimeUnit.SECONDS.sleep(seconds);
        meter.stop();
        for (DataStream s : streams) {
          s.stop();
        }
        for (DataStream s : streams) {
          s.awaitSenderDone(10_000);
        }
        IperfProtocol.writeState(control, IperfProtocol.TEST_END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the control connection broke: the control thread sees it on its next read
      }
    }, "iperf-end");
    t.setDaemon(true);
    t.start();
    return t;
  }

}
