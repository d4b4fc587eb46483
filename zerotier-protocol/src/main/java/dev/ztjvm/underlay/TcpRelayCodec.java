package dev.ztjvm.underlay;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The framing of ZeroTier One's TCP fallback tunnel ("TCP relay"), as spoken between a node and a relay
 * ({@code tcp-proxy} in ZeroTier One, {@link TcpRelayServer} here).
 *
 * <p>The TCP stream is a sequence of records that look like TLS 1.2 application data (so middleboxes that pass
 * HTTPS on port 443 pass them), but are not encrypted by TLS — the ZeroTier packets inside are already armored:
 *
 * <pre>
 *   0x17 0x03 0x03        fake TLS record header (content type "application data", version 3.3)
 *   len (u16, big endian) length of the record payload that follows
 *   payload (len bytes)
 * </pre>
 *
 * <p>Record payloads:
 *
 * <ul>
 *   <li>length 4 — the <em>hello</em>, sent once by the client right after connecting: ZeroTier major version,
 *       minor version, revision (u16). It tells the relay that every further record carries an address prefix.
 *       A relay never sends one; a client ignores it.
 *   <li>length 0 — nothing; skipped.
 *   <li>otherwise — an address prefix, then one ZeroTier UDP datagram (a packet or a fragment):
 *       <ul>
 *         <li>{@code 4}, IPv4 address (4 bytes), port (u16) — 7 bytes;
 *         <li>{@code 6}, IPv6 address (16 bytes), port (u16) — 19 bytes (understood by ZeroTier One's client, never
 *             sent by it nor forwarded by {@code tcp-proxy});
 *         <li>{@code 0} — no address (the datagram cannot be delivered and is dropped).
 *       </ul>
 *       From client to relay the address is where the relay sends the datagram over UDP; from relay to client it is
 *       where the relay received it from.
 * </ul>
 *
 * <p>ZeroTier One only tunnels IPv4 (records with prefix 4). The decoder here accepts both families; the encoder
 * writes prefix 4 or 6 according to the address. The record header's first three bytes are not checked on receive
 * (ZeroTier One does not check them either). Records whose prefix is unknown or too short, or whose datagram is
 * shorter than a ZeroTier fragment (16 bytes) or longer than {@link UdpUnderlay#MAX_DATAGRAM}, are dropped and counted
 * (ZeroTier One closes the connection instead; dropping keeps the stream usable since the length framing is intact).
 */
public final class TcpRelayCodec {

  /** Record header length: 3 fake TLS bytes and the 16-bit payload length. */
  public static final int HEADER = 5;

  /** Largest record payload the 16-bit length can describe. */
  public static final int MAX_PAYLOAD = 0xffff;

  /** Address prefix length for IPv4. */
  public static final int IPV4_PREFIX = 7;

  /** Address prefix length for IPv6. */
  public static final int IPV6_PREFIX = 19;

  /** Smallest ZeroTier datagram (a fragment header is 16 bytes); shorter ones are dropped, as in ZeroTier One. */
  public static final int MIN_DATAGRAM = 16;

  /** Payload length of the hello record. */
  public static final int HELLO_PAYLOAD = 4;

  /** Length of a complete hello record. */
  public static final int HELLO_RECORD = HEADER + HELLO_PAYLOAD;

  private TcpRelayCodec() {}

  /** Writes the hello record announcing protocol version {@code major.minor.revision} at {@code out}'s position. */
  public static void putHello(ByteBuffer out, int major, int minor, int revision) {
    putHeader(out, HELLO_PAYLOAD);
    out.put((byte) major).put((byte) minor).putShort((short) revision);
  }

  /** Record length needed to carry {@code datagramLength} bytes for {@code address}. */
  public static int recordLength(InetSocketAddress address, int datagramLength) {
    return HEADER + prefixLength(address.getAddress()) + datagramLength;
  }

  /**
   * Writes one record carrying {@code buf[off, off+len)} for {@code address} at {@code out}'s position.
   *
   * @throws IllegalArgumentException when the record would exceed the 16-bit length
   * @throws java.nio.BufferOverflowException when {@code out} has no room (check {@link #recordLength} first)
   */
  public static void putDatagram(ByteBuffer out, InetSocketAddress address, byte[] buf, int off, int len) {
    InetAddress a = address.getAddress();
    int prefix = prefixLength(a);
    if (prefix + len > MAX_PAYLOAD) {
      throw new IllegalArgumentException("datagram of " + len + " bytes does not fit a relay record");
    }
    putHeader(out, prefix + len);
    out.put((byte) (a instanceof Inet4Address ? 4 : 6)).put(a.getAddress()).putShort((short) address.getPort());
    out.put(buf, off, len);
  }

  private static void putHeader(ByteBuffer out, int payloadLength) {
    out.put((byte) 0x17).put((byte) 0x03).put((byte) 0x03).putShort((short) payloadLength);
  }

  private static int prefixLength(InetAddress a) {
    return a instanceof Inet4Address ? IPV4_PREFIX : IPV6_PREFIX;
  }

  /** Receives the datagrams a {@link Decoder} finds. */
  @FunctionalInterface
  public interface DatagramSink {
    /** One datagram for/from {@code address}; {@code buf} is only valid during the call. */
    void onDatagram(InetSocketAddress address, byte[] buf, int off, int len);
  }

  /**
   * Reassembles records from a TCP byte stream: records may be split across reads and several may arrive in one. Two
   * ways to use it (one per decoder): read from the channel into {@link #buffer()}, then call {@link #drain}; or read
   * into a buffer of one's own (shared by many connections) and hand the bytes to {@link #decode}, which keeps only an
   * incomplete record's bytes. One decoder per connection, confined to one thread. Nothing is allocated until bytes
   * arrive: {@link #buffer()} allocates a maximal record's room on first use, {@link #decode} only what an incomplete
   * record needs, released when it completes (an idle connection holds no buffer). Allocation-free per record except
   * when the peer address changes (the last address is reused).
   */
  public static final class Decoder {
    private byte @Nullable [] data;
    private @Nullable ByteBuffer buffer;
    /** {@link #decode}'s incomplete record (header first, then as much payload as arrived), or null. */
    private byte @Nullable [] partial;
    private int partialLength;
    private final byte[] lastAddressBytes4 = new byte[4];
    private final byte[] lastAddressBytes6 = new byte[16];
    private @Nullable InetSocketAddress last4;
    private @Nullable InetSocketAddress last6;
    private long records;
    private long hellos;
    private long malformed;

    /**
     * The buffer to read into (write mode: its position is the end of the buffered bytes). It always has room for
     * at least the rest of one maximal record, so a read never needs more space than it offers.
     */
    public ByteBuffer buffer() {
      ByteBuffer b = buffer;
      if (b == null) {
        data = new byte[HEADER + MAX_PAYLOAD];
        buffer = b = ByteBuffer.wrap(data);
      }
      return b;
    }

    /** Appends bytes (for tests and for callers that read elsewhere); fails if they exceed the free space. */
    public void feed(byte[] b, int off, int len) {
      buffer().put(b, off, len);
    }

    /**
     * Hands every complete record in the buffer to {@code sink} (hellos and malformed records are counted, not
     * delivered) and keeps the incomplete tail for the next read.
     *
     * @return the number of datagrams delivered
     */
    public int drain(DatagramSink sink) {
      ByteBuffer buf = buffer();
      byte[] d = java.util.Objects.requireNonNull(data);
      int end = buf.position();
      int pos = 0;
      int delivered = 0;
      while (end - pos >= HEADER) {
        int len = ((d[pos + 3] & 0xff) << 8) | (d[pos + 4] & 0xff);
        if (end - pos - HEADER < len) {
          break;
        }
        if (deliver(d, pos + HEADER, len, sink)) {
          delivered++;
        }
        pos += HEADER + len;
      }
      if (pos > 0) {
        System.arraycopy(d, pos, d, 0, end - pos);
        buf.position(end - pos);
      }
      return delivered;
    }

    /**
     * Decodes {@code src[off, off+len)}, the next bytes of the stream: completes a record left incomplete by the
     * previous call, hands every complete record to {@code sink} and keeps the bytes of an incomplete last one.
     *
     * @return the number of datagrams delivered
     */
    public int decode(byte[] src, int off, int len, DatagramSink sink) {
      int delivered = 0;
      int p = off;
      int end = off + len;
      if (partialLength > 0) {
        byte[] part = java.util.Objects.requireNonNull(partial);
        int take = Math.min(HEADER - Math.min(partialLength, HEADER), end - p);
        if (partialLength < HEADER) {
          System.arraycopy(src, p, part, partialLength, take);
          partialLength += take;
          p += take;
          if (partialLength < HEADER) {
            return 0;
          }
          int recordLength = HEADER + (((part[3] & 0xff) << 8) | (part[4] & 0xff));
          partial = part = java.util.Arrays.copyOf(part, recordLength);
        }
        int need = part.length - partialLength;
        int n = Math.min(need, end - p);
        System.arraycopy(src, p, part, partialLength, n);
        partialLength += n;
        p += n;
        if (partialLength < part.length) {
          return 0;
        }
        if (deliver(part, HEADER, part.length - HEADER, sink)) {
          delivered++;
        }
        partial = null; // released: an idle connection keeps no buffer
        partialLength = 0;
      }
      while (end - p >= HEADER) {
        int recordLength = ((src[p + 3] & 0xff) << 8) | (src[p + 4] & 0xff);
        if (end - p - HEADER < recordLength) {
          break;
        }
        if (deliver(src, p + HEADER, recordLength, sink)) {
          delivered++;
        }
        p += HEADER + recordLength;
      }
      if (p < end) {
        int rest = end - p;
        int size = rest < HEADER ? HEADER : HEADER + (((src[p + 3] & 0xff) << 8) | (src[p + 4] & 0xff));
        partial = new byte[size];
        System.arraycopy(src, p, partial, 0, rest);
        partialLength = rest;
      }
      return delivered;
    }

    /** Bytes this decoder holds for records not yet complete (buffers allocated, whether used or not). */
    public int bufferedCapacity() {
      return (data == null ? 0 : data.length) + (partial == null ? 0 : partial.length);
    }

    private boolean deliver(byte[] d, int p, int len, DatagramSink sink) {
      records++;
      if (len == 0) {
        return false;
      }
      if (len == HELLO_PAYLOAD) {
        hellos++;
        return false;
      }
      InetSocketAddress address;
      int prefix;
      switch (d[p]) {
        case 4 -> {
          prefix = IPV4_PREFIX;
          address = len < prefix ? null : address4(d, p + 1);
        }
        case 6 -> {
          prefix = IPV6_PREFIX;
          address = len < prefix ? null : address6(d, p + 1);
        }
        default -> { // 0 (no address) or an unknown family: nowhere to deliver
          prefix = 1;
          address = null;
        }
      }
      int n = len - prefix;
      if (address == null || n < MIN_DATAGRAM || n > UdpUnderlay.MAX_DATAGRAM) {
        malformed++;
        return false;
      }
      sink.onDatagram(address, d, p + prefix, n);
      return true;
    }

    private InetSocketAddress address4(byte[] data, int p) {
      int port = ((data[p + 4] & 0xff) << 8) | (data[p + 5] & 0xff);
      InetSocketAddress l = last4;
      if (l != null && l.getPort() == port && Arrays.equals(data, p, p + 4, lastAddressBytes4, 0, 4)) {
        return l;
      }
      System.arraycopy(data, p, lastAddressBytes4, 0, 4);
      last4 = l = new InetSocketAddress(byAddress(lastAddressBytes4), port);
      return l;
    }

    private InetSocketAddress address6(byte[] data, int p) {
      int port = ((data[p + 16] & 0xff) << 8) | (data[p + 17] & 0xff);
      InetSocketAddress l = last6;
      if (l != null && l.getPort() == port && Arrays.equals(data, p, p + 16, lastAddressBytes6, 0, 16)) {
        return l;
      }
      System.arraycopy(data, p, lastAddressBytes6, 0, 16);
      last6 = l = new InetSocketAddress(byAddress(lastAddressBytes6), port);
      return l;
    }

    private static InetAddress byAddress(byte[] raw) {
      try {
        return InetAddress.getByAddress(raw.clone());
      } catch (UnknownHostException e) {
        throw new AssertionError("4 or 16 bytes are always a valid address", e);
      }
    }

    /** Drops buffered bytes (after the connection closed). */
    public void reset() {
      if (buffer != null) {
        buffer.clear();
      }
      partial = null;
      partialLength = 0;
    }

    /** Records seen (including hellos, empty and malformed ones). */
    public long records() {
      return records;
    }

    /** Hello records seen. */
    public long hellos() {
      return hellos;
    }

    /** Records dropped: unknown or truncated address prefix, datagram too short or too long. */
    public long malformed() {
      return malformed;
    }
  }
}
