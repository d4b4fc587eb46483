package dev.ztjvm.benchmarks.support;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The server ends of the blocking-socket benchmarks, each on a daemon thread: the same code serves a JDK
 * {@link ServerSocket} and a ZeroTier one, so both transports are measured against the same peer.
 */
public final class ServerThreads {

  /** What a server thread runs. */
  public interface Body {
    void run() throws Exception;
  }

  private ServerThreads() {}

  /** Runs {@code body} on a daemon thread; an exception ends the thread quietly (the trial ended and closed it). */
  public static void startDaemon(String name, Body body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Exception e) {
        // the trial ended
      }
    }, name);
    t.setDaemon(true);
    t.start();
  }

  /** {@code sink}: accepts one connection and reads and discards everything until end of stream. */
  public static void startSink(ServerSocket server) {
    startDaemon("sink", () -> {
      try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
        byte[] buf = new byte[256 * 1024];
        while (in.read(buf) >= 0) {
          // discard
        }
      }
    });
  }

  /** {@code echo}: accepts one connection (TCP_NODELAY on) and writes back each byte it reads. */
  public static void startEcho(ServerSocket server) {
    startDaemon("echo", () -> {
      try (Socket s = server.accept()) {
        s.setTcpNoDelay(true);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
          out.write(b);
        }
      }
    });
  }
}
