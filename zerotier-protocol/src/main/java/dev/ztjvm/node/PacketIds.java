package dev.ztjvm.node;

import dev.ztjvm.netstack.Bytes;
import java.security.SecureRandom;

/**
 * Packet IDs (and other values a peer must not predict: ECHO nonces, RENDEZVOUS order) from a {@link SecureRandom}.
 * A packet ID is the nonce of its packet's cipher and the handle an OK must quote, so an observer who could predict
 * the next one (as with a seeded {@code SplittableRandom}, whose state one output reveals) could forge answers to
 * requests it never saw. Reads the generator in 4 KiB blocks so that the per-packet cost stays a few array reads.
 * Confined to the node's loop.
 */
final class PacketIds {

  private final SecureRandom random = new SecureRandom();
  private final byte[] block = new byte[4096];
  private int position = block.length;

  long next() {
    if (position + 8 > block.length) {
      random.nextBytes(block);
      position = 0;
    }
    long v = Bytes.u64(block, position);
    position += 8;
    return v;
  }

  boolean nextBoolean() {
    return (next() & 1) != 0;
  }
}
