package dev.ztjvm.vl1;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 payload compression of VL1 packets (spec 2.9): the payload after the verb byte is replaced by one raw LZ4 block
 * and the verb byte gets {@link Verb#FLAG_COMPRESSED}. Holds a reusable scratch buffer, so it is not thread-safe: one
 * instance per event loop.
 */
public final class PacketCompressor {

  /** Payloads of this size or less are never compressed (the reference's threshold). */
  public static final int MIN_COMPRESS_LENGTH = 64;

  private static final LZ4Factory FACTORY = LZ4Factory.fastestJavaInstance();

  private final LZ4Compressor compressor = FACTORY.fastCompressor();
  private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();
  private final byte[] scratch =
      new byte[Math.max(Packet.MAX_DECOMPRESSED_PAYLOAD, FACTORY.fastCompressor().maxCompressedLength(
          Packet.MAX_PACKET_LENGTH))];
  private long decompressFailures;

  /**
   * Compresses the plaintext packet {@code pkt[off..off+len)} in place if its payload is longer than 64 bytes and the
   * result is strictly smaller; sets the verb byte's compressed flag then. Call before armoring.
   *
   * @return the new packet length (unchanged if not compressed)
   */
  public int compress(byte[] pkt, int off, int len) {
    int payload = len - Packet.HEADER_LENGTH;
    if (payload <= MIN_COMPRESS_LENGTH || Packet.isCompressed(pkt, off)) {
      return len;
    }
    int n = compressor.compress(pkt, off + Packet.HEADER_LENGTH, payload, scratch, 0, scratch.length);
    if (n >= payload) {
      return len;
    }
    System.arraycopy(scratch, 0, pkt, off + Packet.HEADER_LENGTH, n);
    pkt[off + Packet.IDX_VERB] |= (byte) Verb.FLAG_COMPRESSED;
    return Packet.HEADER_LENGTH + n;
  }

  /**
   * Decompresses the dearmored packet {@code pkt[off..off+len)} in place if its verb byte has the compressed flag and
   * clears the flag. The buffer must have room for the decompressed packet after {@code off}. Never throws on bad
   * data.
   *
   * @return the new packet length (unchanged if not compressed), or −1 if the block is invalid, decompresses to more
   *     than {@value Packet#MAX_DECOMPRESSED_PAYLOAD} bytes or does not fit the buffer
   */
  public int decompress(byte[] pkt, int off, int len) {
    if (len < Packet.HEADER_LENGTH) {
      decompressFailures++;
      return -1;
    }
    if (!Packet.isCompressed(pkt, off)) {
      return len;
    }
    int n;
    try {
      n = decompressor.decompress(
          pkt, off + Packet.HEADER_LENGTH, len - Packet.HEADER_LENGTH, scratch, 0, Packet.MAX_DECOMPRESSED_PAYLOAD);
    } catch (LZ4Exception | ArrayIndexOutOfBoundsException e) {
      decompressFailures++;
      return -1;
    }
    if (n < 0 || pkt.length - off - Packet.HEADER_LENGTH < n) {
      decompressFailures++;
      return -1;
    }
    System.arraycopy(scratch, 0, pkt, off + Packet.HEADER_LENGTH, n);
    pkt[off + Packet.IDX_VERB] &= (byte) ~Verb.FLAG_COMPRESSED;
    return Packet.HEADER_LENGTH + n;
  }

  /** Packets whose payload failed to decompress. */
  public long decompressFailureCount() {
    return decompressFailures;
  }
}
