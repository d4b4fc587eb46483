package dev.ztjvm.netstack;

/**
 * Where a {@link NetworkInterface} puts its outgoing Ethernet frames (the ZeroTier layer, a TAP device, a test
 * link). Called on the loop thread.
 */
@FunctionalInterface
public interface FrameSink {

  /**
   * One complete Ethernet II frame (destination, source, EtherType, payload; no FCS, no padding) at
   * {@code frame[off, off+len)}. The array is reused by the interface after the call returns: copy what you keep.
   */
  void sendFrame(byte[] frame, int off, int len);
}
