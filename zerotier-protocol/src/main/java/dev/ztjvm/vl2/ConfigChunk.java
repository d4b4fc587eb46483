package dev.ztjvm.vl2;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One chunk of a network config as carried by OK(NETWORK_CONFIG_REQUEST) and NETWORK_CONFIG (spec 3.11, 3.12, 7.6):
 * {@code nwid (8) | chunk length (2) | chunk | flags (1) | update ID (8) | total length (4) | chunk index (4) |
 * 01 | 00 60 | signature (96)}. The legacy short form stops after the chunk ({@link #signed()} is false).
 *
 * @param networkId network ID
 * @param data the chunk bytes (a slice of the serialized dictionary)
 * @param flags chunk flags ({@link #FLAG_FAST_PROPAGATE})
 * @param updateId config update ID (random, shared by all chunks of one config)
 * @param totalLength length of the whole serialized dictionary
 * @param chunkIndex byte offset of this chunk in the dictionary
 * @param signature the 96-byte controller signature over {@link #signedRegion()}, or empty in the short form
 */
public record ConfigChunk(long networkId, byte[] data, int flags, long updateId, long totalLength, long chunkIndex,
    byte[] signature) {

  /** Receivers re-send a verified chunk with this flag to the other members they know. */
  public static final int FLAG_FAST_PROPAGATE = 0x01;
  /** Largest chunk a 1.x controller sends (max packet length minus header and slack). */
  public static final int MAX_CHUNK_LENGTH = 9740;

  public ConfigChunk {
    data = data.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  int dataLength() {
    return data.length;
  }

  byte[] rawData() {
    return data;
  }

  /** True unless this is the legacy unsigned short form. */
  public boolean signed() {
    return signature.length == 96;
  }

  /** The bytes the controller signs: everything from the network ID through the chunk index. */
  public byte[] signedRegion() {
    WireWriter s = new WireWriter(data.length + 35);
    s.u64(networkId).u16(data.length).bytes(data).u8(flags).u64(updateId).u32(totalLength).u32(chunkIndex);
    return s.toByteArray();
  }

  /** Verifies the chunk signature against the controller identity (false for the unsigned short form). */
  public boolean verify(Identity controller) {
    if (!signed()) {
      return false;
    }
    byte[] region = signedRegion();
    return controller.verify(region, 0, region.length, signature, 0, 96);
  }

  /** 1.x's per-chunk ID for de-duplication: the first 16 signature bytes XOR-folded into 8. */
  public long chunkId() {
    if (!signed()) {
      return 0;
    }
    byte[] f = new byte[8];
    for (int i = 0; i < 16; i++) {
      f[i & 7] ^= signature[i];
    }
    return Bytes.u64(f, 0);
  }

  /** The payload bytes (what follows the verb, or the in-re fields of an OK). */
  public byte[] toBytes() {
    byte[] region = signedRegion();
    if (!signed()) {
      return Arrays.copyOf(region, 10 + data.length);
    }
    WireWriter s = new WireWriter(region.length + 99);
    s.bytes(region).u8(1).u16(96).bytes(signature);
    return s.toByteArray();
  }

  /**
   * Parses a chunk payload starting at the network ID.
   *
   * @throws WireFormatException if truncated, the signature is not type 1 / length 96, or the chunk lies outside
   *     the total length or the total length reaches the 1.x dictionary capacity
   */
  public static ConfigChunk parse(byte[] b, int off, int len) {
    WireReader c = WireReader.of(b, off, off + len, "config chunk");
    long nwid = c.u64();
    int chunkLen = c.u16();
    byte[] data = c.bytes(chunkLen);
    if (c.remaining() == 0) {
      return new ConfigChunk(nwid, data, 0, 0, chunkLen, 0, new byte[0]);
    }
    int flags = c.u8();
    long updateId = c.u64();
    long total = c.u32();
    long index = c.u32();
    if (index + chunkLen > total || total >= Dictionary.NETWORK_CONFIG_CAPACITY) {
      throw c.error("chunk at " + index + "+" + chunkLen + " outside total length " + total);
    }
    int sigType = c.u8();
    int sigLen = c.u16();
    if (sigType != 1 || sigLen != 96) {
      throw c.error("signature type " + sigType + " length " + sigLen + " (must be 1 / 96)");
    }
    byte[] sig = c.bytes(96);
    return new ConfigChunk(nwid, data, flags, updateId, total, index, sig);
  }

  /**
   * Controller side: splits a serialized config dictionary into signed chunks of at most {@link #MAX_CHUNK_LENGTH}
   * bytes.
   *
   * @param controller the controller's secret identity
   * @param updateId random non-zero update ID
   * @throws IllegalArgumentException if the dictionary reaches the 1.x capacity or the identity has no secret
   */
  public static List<ConfigChunk> sign(Identity controller, long networkId, byte[] dictionary, long updateId,
      int flags) {
    if (dictionary.length >= Dictionary.NETWORK_CONFIG_CAPACITY) {
      throw new IllegalArgumentException("config of " + dictionary.length + " bytes exceeds the 1.x capacity");
    }
    if (!controller.hasSecret()) {
      throw new IllegalArgumentException("signing needs the controller's secret identity");
    }
    List<ConfigChunk> out = new ArrayList<>();
    int index = 0;
    do {
      int len = Math.min(dictionary.length - index, MAX_CHUNK_LENGTH);
      byte[] data = Arrays.copyOfRange(dictionary, index, index + len);
      ConfigChunk unsigned = new ConfigChunk(networkId, data, flags, updateId, dictionary.length, index, new byte[0]);
      byte[] region = unsigned.signedRegion();
      byte[] sig = controller.sign(region, 0, region.length);
      out.add(new ConfigChunk(networkId, data, flags, updateId, dictionary.length, index, sig));
      index += len;
    } while (index < dictionary.length);
    return out;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ConfigChunk c && c.networkId == networkId && Arrays.equals(c.data, data) && c.flags == flags
        && c.updateId == updateId && c.totalLength == totalLength && c.chunkIndex == chunkIndex
        && Arrays.equals(c.signature, signature);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(networkId ^ updateId ^ chunkIndex) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ConfigChunk{nwid=" + NetworkId.toString(networkId) + ", update=" + Long.toHexString(updateId) + ", "
        + chunkIndex + "+" + data.length + "/" + totalLength + (signed() ? "" : ", unsigned") + "}";
  }
}
