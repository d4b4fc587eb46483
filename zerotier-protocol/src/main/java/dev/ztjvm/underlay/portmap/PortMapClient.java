package dev.ztjvm.underlay.portmap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Blocking port-mapping transactions with one gateway for one internal UDP port: PCP MAP first, NAT-PMP when the
 * gateway answers UNSUPP_VERSION (RFC 6887 section 9). Datagrams that are not a matching answer are dropped and
 * counted; an error result code ends the transaction at once (it is not retransmitted). Not thread-safe: one owner.
 */
public final class PortMapClient implements AutoCloseable {
  /** The port both protocols' servers listen on. */
  public static final int SERVER_PORT = 5351;

  private final DatagramSocket socket;
  private final Retransmission retransmission;
  private final byte[] nonce = new byte[Pcp.NONCE_LENGTH];
  private final byte[] rx = new byte[Pcp.MAX_LENGTH + 4];
  private final AtomicLong malformed = new AtomicLong();
  private @Nullable PortMapProtocol protocol;

  public PortMapClient(InetSocketAddress gateway, Retransmission retransmission) throws IOException {
    Objects.requireNonNull(gateway, "gateway");
    this.retransmission = Objects.requireNonNull(retransmission, "retransmission");
    new SecureRandom().nextBytes(nonce); // one nonce for this mapping's whole life: renewals and delete reuse it
    socket = new DatagramSocket();
    socket.connect(gateway); // only the gateway's datagrams reach us
  }

  /** Datagrams dropped because they were not a well-formed answer to the request in flight. */
  public long malformedResponses() {
    return malformed.get();
  }

  /** The protocol the gateway speaks, once it answered; null before. */
  public @Nullable PortMapProtocol protocol() {
    return protocol;
  }

  /**
   * Creates or renews the UDP mapping of {@code internalPort}.
   *
   * @param suggestedExternalPort the external port we would like (0: any); renewals pass the one granted
   * @throws PortMapException an error result code, or no answer after the bounded retransmissions
   */
  public PortMapping map(int internalPort, int suggestedExternalPort, long lifetimeSeconds) throws IOException {
    if (internalPort < 1 || internalPort > 65535 || suggestedExternalPort < 0 || suggestedExternalPort > 65535) {
      throw new IllegalArgumentException("ports out of range: internal " + internalPort + ", suggested external "
          + suggestedExternalPort);
    }
    if (lifetimeSeconds < 1 || lifetimeSeconds > 0xffffffffL) {
      throw new IllegalArgumentException("lifetime must be 1..2^32-1 seconds (0 deletes: use unmap): "
          + lifetimeSeconds);
    }
    PortMapping m = request(internalPort, suggestedExternalPort, lifetimeSeconds);
    if (m == null) {
      throw new IllegalStateException("a mapping request returned no mapping"); // only deletes return null
    }
    return m;
  }

  /** Deletes the mapping (lifetime 0) in the protocol that granted it. */
  public void unmap(PortMapping mapping) throws IOException {
    protocol = mapping.protocol();
    request(mapping.internalPort(), 0, 0);
  }

  private @Nullable PortMapping request(int internalPort, int suggestedExternalPort, long lifetime)
      throws IOException {
    if (protocol != PortMapProtocol.NAT_PMP) {
      PcpOutcome out = pcp(internalPort, suggestedExternalPort, lifetime);
      if (!out.fallBack()) {
        protocol = PortMapProtocol.PCP;
        return out.mapping();
      }
      protocol = PortMapProtocol.NAT_PMP;
    }
    return natPmp(internalPort, suggestedExternalPort, lifetime);
  }

  private record PcpOutcome(boolean fallBack, @Nullable PortMapping mapping) {}

  private PcpOutcome pcp(int internalPort, int suggestedExternalPort, long lifetime) throws IOException {
    InetAddress client = socket.getLocalAddress(); // the source address the gateway sees (checked: section 8.1)
    byte[] req = Pcp.mapRequest(nonce, client, internalPort, suggestedExternalPort, lifetime);
    long timeout = retransmission.pcpInitial().toNanos();
    for (int attempt = 0; attempt < retransmission.pcpAttempts(); attempt++, timeout *= 2) {
      socket.send(new DatagramPacket(req, req.length));
      long deadline = System.nanoTime() + timeout;
      int len;
      while ((len = receive(deadline)) >= 0) {
        if (len >= 4 && rx[0] == NatPmp.VERSION) {
          // A NAT-PMP-only gateway answers any other version with its own UNSUPPORTED_VERSION (RFC 6886 3.5).
          if (((rx[2] & 0xff) << 8 | (rx[3] & 0xff)) == NatPmp.RESULT_UNSUPPORTED_VERSION) {
            return new PcpOutcome(true, null);
          }
          malformed.incrementAndGet();
          continue;
        }
        Pcp.MapResponse r = Pcp.parseMap(rx, len);
        if (r == null) {
          malformed.incrementAndGet();
          continue;
        }
        if (r.resultCode() == Pcp.RESULT_UNSUPP_VERSION) {
          return new PcpOutcome(true, null); // we speak only version 2: use NAT-PMP (section 9)
        }
        if (r.version() != Pcp.VERSION || !Pcp.matches(r, nonce, internalPort)) {
          malformed.incrementAndGet();
          continue;
        }
        if (r.resultCode() != Pcp.RESULT_SUCCESS) {
          throw new PortMapException(PortMapProtocol.PCP, r.resultCode(),
              "PCP MAP of UDP port " + internalPort + " refused: " + Pcp.resultName(r.resultCode()));
        }
        if (lifetime == 0) {
          return new PcpOutcome(false, null);
        }
        return new PcpOutcome(false, new PortMapping(PortMapProtocol.PCP, internalPort,
            new InetSocketAddress(r.externalAddress(), r.externalPort()), r.lifetimeSeconds(), System.nanoTime()));
      }
    }
    throw new PortMapException(PortMapProtocol.PCP, PortMapException.NO_ANSWER, "no PCP answer from "
        + socket.getRemoteSocketAddress() + " after " + retransmission.pcpAttempts() + " tries");
  }

  private @Nullable PortMapping natPmp(int internalPort, int suggestedExternalPort, long lifetime)
      throws IOException {
    InetAddress external = null;
    if (lifetime != 0) {
      NatPmp.Response a =
          natPmpTransaction(NatPmp.externalAddressRequest(), NatPmp.OP_EXTERNAL_ADDRESS, "external address");
      external = Objects.requireNonNull(a.externalAddress(), "parse gives an address on success");
    }
    NatPmp.Response m = natPmpTransaction(NatPmp.mapUdpRequest(internalPort, suggestedExternalPort, lifetime),
        NatPmp.OP_MAP_UDP, "UDP mapping of port " + internalPort);
    if (m.internalPort() != internalPort) {
      throw new PortMapException(PortMapProtocol.NAT_PMP, m.resultCode(), "NAT-PMP answered for internal port "
          + m.internalPort() + ", asked " + internalPort);
    }
    if (lifetime == 0 || external == null) {
      return null;
    }
    return new PortMapping(PortMapProtocol.NAT_PMP, internalPort, new InetSocketAddress(external, m.externalPort()),
        m.lifetimeSeconds(), System.nanoTime());
  }

  private NatPmp.Response natPmpTransaction(byte[] req, int opcode, String what) throws IOException {
    long timeout = retransmission.natPmpInitial().toNanos();
    for (int attempt = 0; attempt < retransmission.natPmpAttempts(); attempt++, timeout *= 2) {
      socket.send(new DatagramPacket(req, req.length));
      long deadline = System.nanoTime() + timeout;
      int len;
      while ((len = receive(deadline)) >= 0) {
        NatPmp.Response r = NatPmp.parse(rx, len, opcode);
        if (r == null) {
          malformed.incrementAndGet();
          continue;
        }
        if (r.resultCode() != NatPmp.RESULT_SUCCESS) {
          throw new PortMapException(PortMapProtocol.NAT_PMP, r.resultCode(),
              "NAT-PMP " + what + " refused: " + NatPmp.resultName(r.resultCode()));
        }
        return r;
      }
    }
    throw new PortMapException(PortMapProtocol.NAT_PMP, PortMapException.NO_ANSWER, "no NAT-PMP answer from "
        + socket.getRemoteSocketAddress() + " to the " + what + " after " + retransmission.natPmpAttempts()
        + " tries");
  }

  /** Receives one datagram into {@link #rx} before {@code deadline}; its length, or -1 on timeout. */
  private int receive(long deadlineNanos) throws IOException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      return -1;
    }
    socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
    DatagramPacket p = new DatagramPacket(rx, rx.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return -1;
    } catch (java.net.PortUnreachableException e) {
      return -1; // ICMP from a gateway without a server: wait the timeout out like silence
    }
    return p.getLength();
  }

  @Override
  public void close() {
    socket.close();
  }
}
