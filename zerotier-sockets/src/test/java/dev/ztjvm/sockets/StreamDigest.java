package dev.ztjvm.sockets;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the bulk transfer tests compare what was sent with what arrived: {@code "<bytes>:<SHA-256 hex>"} of a stream,
 * equal on both ends only if every byte arrived once and in order.
 */
final class StreamDigest {

  private StreamDigest() {}

  /** Reads {@code in} to its end in reads of up to {@code bufferSize} bytes and sums it up. */
  static String receive(InputStream in, int bufferSize) throws IOException, NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[bufferSize];
    long n = 0;
    for (int r; (r = in.read(buf)) > 0;) {
      sha.update(buf, 0, r);
      n += r;
    }
    return summary(n, sha);
  }

  /** The summary of {@code bytes} bytes whose digest {@code sha} computed. */
  static String summary(long bytes, MessageDigest sha) {
    return bytes + ":" + HexFormat.of().formatHex(sha.digest());
  }
}
