package dev.ztjvm.netstack.tcp;

import org.jspecify.annotations.Nullable;

/** The interface's own addresses as TCP needs them (4- or 16-byte arrays). */
public interface LocalAddresses {

  /** Whether {@code address} is one of ours (listeners bound to a specific address must use one). */
  boolean isLocal(byte[] address);

  /** Source address to use towards {@code remote}, or null if there is none of that family. */
  byte @Nullable [] sourceFor(byte[] remote);
}
