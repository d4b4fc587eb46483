package dev.ztjvm.node;

/**
 * Where the VL2 layer plugs into VL1: it gets every authenticated packet whose verb is a VL2 verb (FRAME, EXT_FRAME,
 * MULTICAST_LIKE, NETWORK_CREDENTIALS, NETWORK_CONFIG_REQUEST, NETWORK_CONFIG, MULTICAST_GATHER, MULTICAST_FRAME),
 * and every OK or ERROR in re one of them. Called on the node's loop; the buffer is valid only during the call.
 */
@FunctionalInterface
public interface Vl2Hook {

  /**
   * @param source the sending peer
   * @param verbCode the packet's verb (OK or ERROR for responses)
   * @param pkt the dearmored, decompressed packet (header included) at {@code [off, off + len)}
   * @param hops hop count it arrived with (0 = direct)
   */
  void onPacket(Vl1Node node, long source, int verbCode, byte[] pkt, int off, int len, int hops, long nowMillis);
}
