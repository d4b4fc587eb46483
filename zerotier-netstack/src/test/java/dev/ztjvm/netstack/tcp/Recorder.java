package dev.ztjvm.netstack.tcp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A handler that records events and drains everything readable into a byte buffer. */
final class Recorder implements TcpHandler {
  final ByteArrayOutputStream received = new ByteArrayOutputStream();
  final List<String> events = new ArrayList<>();
  boolean connected;
  boolean eof;
  boolean closed;
  @Nullable TcpError cause;
  boolean autoRead = true;
  private final byte[] buf = new byte[65536];

  @Override
  public void onConnected(TcpConnection c) {
    connected = true;
    events.add("connected");
  }

  @Override
  public void onReadable(TcpConnection c) {
    events.add("readable");
    if (autoRead) {
      drain(c);
    }
  }

  void drain(TcpConnection c) {
    int n;
    while ((n = c.read(buf, 0, buf.length)) > 0) {
      received.write(buf, 0, n);
    }
    if (n < 0) {
      eof = true;
    }
  }

  @Override
  public void onWritable(TcpConnection c) {
    events.add("writable");
  }

  @Override
  public void onClosed(TcpConnection c, @Nullable TcpError cause) {
    closed = true;
    this.cause = cause;
    events.add("closed:" + cause);
  }

  String text() {
    return received.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
