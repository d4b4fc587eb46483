package dev.ztjvm.tools.iperf;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An iperf3 server on a listening socket: one test at a time (a client that comes while a test runs gets
 * ACCESS_DENIED, as from iperf3), TCP, normal and reverse mode, any number of parallel streams. The listener carries
 * both the control connections and the data streams, told apart by the test's cookie.
 */
public final class IperfServer implements Closeable {

  private static final int SETUP_TIMEOUT_MILLIS = 30_000;
  /** How long past its duration a test may run before the server gives up on the client. */
  private static final int END_GRACE_MILLIS = 60_000;

  private final ServerSocket listener;
  private final Consumer<String> out;
  private final BlockingQueue<Socket> controls = new LinkedBlockingQueue<>();
  private final Object lock = new Object();
  private final Thread acceptor;
  private volatile boolean closed;
  /** The test that has a control connection (queued or running); guarded by lock. */
  private @Nullable Test current;
  private volatile @Nullable IOException acceptFailure;

  /**
   * A server on {@code listener} (already bound); {@code out} receives the report lines. Connections are accepted
   * from now on; {@link #serve} runs the tests.
   */
  public IperfServer(ServerSocket listener, Consumer<String> out) {
    this.listener = listener;
    this.out = out;
    this.acceptor = new Thread(this::acceptLoop, "iperf-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Runs tests one after the other until {@code tests} have run (0: until closed or interrupted); returns the
   * summaries of the tests that completed.
   */
  public List<IperfSummary> serve(int tests) throws IOException, InterruptedException {
    List<IperfSummary> done = new ArrayList<>();
    int run = 0;
    try {
      while (!closed && (tests == 0 || run < tests)) {
        Socket control = controls.poll(200, TimeUnit.MILLISECONDS);
        if (control == null) {
          IOException f = acceptFailure;
          if (f != null) {
            throw f;
          }
          continue;
        }
        Test test;
        synchronized (lock) {
          test = current;
        }
        try {
          if (test != null) {
            IperfSummary s = test.run(control);
            if (s != null) {
              done.add(s);
            }
          }
        } finally {
          synchronized (lock) {
            current = null;
          }
        }
        run++;
      }
    } finally {
      if (tests != 0) {
        close();
      }
    }
    return done;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          acceptFailure = e;
        }
        return;
      }
      try {
        dispatch(s);
      } catch (IOException | RuntimeException e) {
        closeQuietly(s);
      }
    }
  }

  /** A new control connection, a data stream of the current test, or a client to turn away. */
  private void dispatch(Socket s) throws IOException {
    Test test;
    synchronized (lock) {
      if (current == null) {
        current = new Test();
        controls.add(s);
        return;
      }
      test = current;
    }
    if (test.wantsStreams()) {
      s.setSoTimeout(SETUP_TIMEOUT_MILLIS);
      byte[] cookie = IperfProtocol.readCookie(s.getInputStream());
      if (test.addStream(s, cookie)) {
        return;
      }
    }
    // like iperf3: a busy server answers ACCESS_DENIED without reading from the connection
    IperfProtocol.writeState(s.getOutputStream(), IperfProtocol.ACCESS_DENIED);
    s.close();
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing
    }
    acceptor.interrupt();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  /** One test, from the control connection's cookie to IPERF_DONE. */
  private final class Test {
    private final List<DataStream> streams = new ArrayList<>();
    private byte @Nullable [] cookie;
    private @Nullable IperfParameters parameters;
    private boolean wantStreams;

    synchronized boolean wantsStreams() {
      return wantStreams;
    }

    /** Takes a data connection if its cookie is this test's and a stream is still expected. */
    synchronized boolean addStream(Socket s, byte[] streamCookie) {
      IperfParameters p = parameters;
      if (!wantStreams || p == null || !Arrays.equals(cookie, streamCookie) || streams.size() >= p.parallel()) {
        return false;
      }
      streams.add(new DataStream(DataStream.idOf(streams.size()), s, p.reverse(), p.blockSize()));
      notifyAll();
      return true;
    }

    @Nullable
    IperfSummary run(Socket control) {
      String peer = String.valueOf(control.getInetAddress().getHostAddress()) + " port " + control.getPort();
      try {
        return exchange(control, peer);
      } catch (IOException e) {
        out.accept("test from " + peer + " failed: " + e.getMessage());
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } finally {
        List<DataStream> all;
        synchronized (this) {
          wantStreams = false;
          all = List.copyOf(streams);
        }
        DataStream.closeAll(all, 5000);
        closeQuietly(control);
      }
    }

    private IperfSummary exchange(Socket control, String peer) throws IOException, InterruptedException {
      control.setSoTimeout(SETUP_TIMEOUT_MILLIS);
      try {
        control.setTcpNoDelay(true);
      } catch (SocketException e) {
        // a stack without the option: states are still delivered, a little later
      }
      InputStream in = control.getInputStream();
      OutputStream o = control.getOutputStream();
      byte[] c = IperfProtocol.readCookie(in);
      IperfProtocol.writeState(o, IperfProtocol.PARAM_EXCHANGE);
      IperfParameters p = IperfParameters.fromJson(IperfProtocol.readJson(in, IperfProtocol.MAX_PARAMS_JSON));
      String refused = p.invalidReason();
      int errno = IperfProtocol.IE_RECEIVE_PARAMETERS;
      if (refused == null) {
        refused = p.unsupportedReason();
        errno = IperfProtocol.IE_UNIMPLEMENTED;
      }
      if (refused != null) {
        IperfProtocol.writeState(o, IperfProtocol.SERVER_ERROR);
        o.write(new byte[] {0, 0, 0, (byte) errno, 0, 0, 0, 0}); // i_errno, then errno 0, big-endian
        o.flush();
        throw new IOException("refused: " + refused);
      }
      synchronized (this) {
        cookie = c;
        parameters = p;
        wantStreams = true;
      }
      IperfProtocol.writeState(o, IperfProtocol.CREATE_STREAMS);
      List<DataStream> all = awaitStreams(p);
      out.accept("test from " + peer + ": " + p.parallel() + " stream(s), "
          + (p.seconds() > 0 ? p.seconds() + " s" : "until the client ends it") + ", "
          + (p.reverse() ? "this side sends (reverse)" : "this side receives"));
      IperfProtocol.writeState(o, IperfProtocol.TEST_START);
      TransferMeter meter = TransferMeter.start(all, out);
      for (DataStream s : all) {
        s.start("iperf-stream");
      }
      IperfProtocol.writeState(o, IperfProtocol.TEST_RUNNING);
      control.setSoTimeout(p.seconds() > 0 ? p.seconds() * 1000 + END_GRACE_MILLIS : 0);
      while (true) {
        int state = IperfProtocol.readState(in);
        if (state == IperfProtocol.TEST_END) {
          break;
        }
        if (state == IperfProtocol.CLIENT_TERMINATE) {
          meter.stop();
          throw new IOException("the client terminated the test");
        }
        if (state != IperfProtocol.TEST_START && state != IperfProtocol.TEST_RUNNING) {
          meter.stop();
          throw new IOException("unexpected state " + state + " from the client during the test");
        }
      }
      meter.stop();
      for (DataStream s : all) {
        s.stop();
      }
      DataStream.closeAll(all, 5000); // as iperf3: the data connections end before the results
      control.setSoTimeout(SETUP_TIMEOUT_MILLIS);
      IperfResults ours = results(all, meter);
      IperfProtocol.writeState(o, IperfProtocol.EXCHANGE_RESULTS);
      IperfResults theirs = IperfResults.fromJson(IperfProtocol.readJson(in, IperfProtocol.MAX_RESULTS_JSON));
      IperfProtocol.writeJson(o, ours.toJson());
      IperfProtocol.writeState(o, IperfProtocol.DISPLAY_RESULTS);
      try {
        IperfProtocol.readState(in); // IPERF_DONE; a client may also just close
      } catch (IOException e) {
        // the results are complete either way
      }
      IperfSummary summary = p.reverse()
          ? new IperfSummary(ours.totalBytes(), ours.seconds(), theirs.totalBytes(), theirs.seconds(),
              ours.totalBytes(), meter.cpuNanos())
          : new IperfSummary(theirs.totalBytes(), theirs.seconds(), ours.totalBytes(), ours.seconds(),
              ours.totalBytes(), meter.cpuNanos());
      out.accept(summary.totalsLine());
      out.accept(summary.line());
      return summary;
    }

    private List<DataStream> awaitStreams(IperfParameters p) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETUP_TIMEOUT_MILLIS);
      synchronized (this) {
        while (streams.size() < p.parallel()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IOException("only " + streams.size() + " of " + p.parallel() + " data streams connected");
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        wantStreams = false;
        return List.copyOf(streams);
      }
    }
  }

  static IperfResults results(List<DataStream> streams, TransferMeter meter) {
    List<IperfResults.Stream> list = new ArrayList<>();
    boolean sender = false;
    for (DataStream s : streams) {
      sender |= s.sender();
      list.add(new IperfResults.Stream(s.id(), s.bytes(), -1, 0, meter.seconds()));
    }
    // a sender that does not know its retransmits says 0, a receiver -1 (as iperf3 does)
    return new IperfResults(meter.cpuPercent(), meter.cpuPercent(), 0, sender ? 0 : -1, list);
  }
}
