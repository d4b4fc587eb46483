package dev.ztjvm.netstack.tcp;

import java.util.Arrays;

/**
 * The 4-tuple of a connection. Stored keys are immutable copies; the stack reuses one mutable probe key for
 * lookups so that demultiplexing a segment allocates nothing.
 */
final class ConnKey {
  final byte[] local = new byte[16];
  final byte[] remote = new byte[16];
  int addrLen;
  int localPort;
  int remotePort;
  private int hash;

  ConnKey set(byte[] localAddr, int localPort, byte[] remoteAddr, int remotePort) {
    addrLen = localAddr.length;
    System.arraycopy(localAddr, 0, local, 0, addrLen);
    System.arraycopy(remoteAddr, 0, remote, 0, addrLen);
    this.localPort = localPort;
    this.remotePort = remotePort;
    int h = 17;
    for (int i = 0; i < addrLen; i++) {
      h = h * 31 + local[i];
      h = h * 31 + remote[i];
    }
    h = h * 31 + localPort;
    h = h * 31 + remotePort;
    hash = h ^ (h >>> 16);
    return this;
  }

  ConnKey copy() {
    return new ConnKey().set(localAddress(), localPort, remoteAddress(), remotePort);
  }

  byte[] localAddress() {
    return Arrays.copyOf(local, addrLen);
  }

  byte[] remoteAddress() {
    return Arrays.copyOf(remote, addrLen);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ConnKey k)) {
      return false;
    }
    if (k.hash != hash || k.addrLen != addrLen || k.localPort != localPort || k.remotePort != remotePort) {
      return false;
    }
    for (int i = 0; i < addrLen; i++) {
      if (k.local[i] != local[i] || k.remote[i] != remote[i]) {
        return false;
      }
    }
    return true;
  }
}
