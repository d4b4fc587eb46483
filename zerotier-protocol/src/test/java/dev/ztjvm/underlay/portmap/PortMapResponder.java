package dev.ztjvm.underlay.portmap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A gateway's port-mapping server for tests, on 127.0.0.1, written from RFC 6887 (PCP MAP) and RFC 6886 (NAT-PMP)
 * independently of the client's codecs. In NAT-PMP-only mode it answers a PCP request the way section 3.5 of RFC
 * 6886 says (version 0, UNSUPPORTED_VERSION). Every request it reads is recorded.
 */
public final class PortMapResponder implements AutoCloseable {
  /** One request as received. */
  public record Request(String protocol, int opcode, int internalPort, int suggestedExternalPort,
      long lifetimeSeconds) {}

  public final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final DatagramSocket socket;
  private final Thread thread;
  private final boolean speaksPcp;
  private final InetAddress external;
  private volatile long grantLifetime;
  private volatile int errorCode;
  private volatile int garbageBeforeEachAnswer;
  private volatile int assignPort;
  private final long startMillis = System.currentTimeMillis();

  /**
   * @param speaksPcp whether it is a PCP server (else NAT-PMP only)
   * @param grantLifetime the lifetime granted (0: grant what was asked)
   */
  public PortMapResponder(boolean speaksPcp, String externalIp, long grantLifetime) throws IOException {
    this.speaksPcp = speaksPcp;
    this.external = InetAddress.getByName(externalIp);
    this.grantLifetime = grantLifetime;
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "portmap-responder");
    thread.setDaemon(true);
    thread.start();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** Answers every request with this result code from now on (0: success). */
  public void refuseWith(int code) {
    this.errorCode = code;
  }

  /** Assigns this external port whatever was suggested (0: the suggested one, or 40000 when none). */
  public void assignPort(int port) {
    this.assignPort = port;
  }

  /** Sends this many malformed datagrams before each real answer. */
  public void garbageBeforeEachAnswer(int n) {
    this.garbageBeforeEachAnswer = n;
  }

  private void serve() {
    byte[] buf = new byte[2048];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        byte[] req = Arrays.copyOf(p.getData(), p.getLength());
        byte[] answer = answer(req);
        if (answer == null) {
          continue;
        }
        for (int i = 0; i < garbageBeforeEachAnswer; i++) {
          send(p.getSocketAddress(), garbage(i, answer));
        }
        send(p.getSocketAddress(), answer);
      } catch (SocketException e) {
        return; // closed
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Malformed variants: truncated, wrong version/opcode, a PCP answer with another nonce. */
  private static byte[] garbage(int i, byte[] answer) {
    return switch (i % 3) {
      case 0 -> Arrays.copyOf(answer, 5);
      case 1 -> {
        byte[] b = answer.clone();
        b[1] = (byte) 0x7f;
        yield b;
      }
      default -> {
        byte[] b = answer.clone();
        if (b.length >= 36) {
          b[30] ^= 0x55; // inside the PCP nonce
        } else {
          b[0] = 9;
        }
        yield b;
      }
    };
  }

  private void send(SocketAddress to, byte[] b) throws IOException {
    socket.send(new DatagramPacket(b, b.length, to));
  }

  private int epoch() {
    return (int) ((System.currentTimeMillis() - startMillis) / 1000);
  }

  private byte[] answer(byte[] req) {
    if (req.length < 2) {
      return null;
    }
    int version = req[0] & 0xff;
    if (version == 2 && speaksPcp) {
      return pcp(req);
    }
    if (version != 0) {
      // RFC 6886 3.5: version 0, opcode 128 + request's opcode, result 1 (unsupported version), epoch.
      requests.add(new Request("unsupported-version-" + version, req[1] & 0x7f, 0, 0, 0));
      return ByteBuffer.allocate(8).put((byte) 0).put((byte) (128 + (req[1] & 0x7f))).putShort((short) 1)
          .putInt(epoch()).array();
    }
    int op = req[1] & 0xff;
    if (op == 0) {
      requests.add(new Request("nat-pmp", 0, 0, 0, 0));
      ByteBuffer out = ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) errorCode)
          .putInt(epoch());
      return out.put(external.getAddress()).array();
    }
    if (op != 1 || req.length < 12) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(req);
    in.position(4);
    int internal = in.getShort() & 0xffff;
    int suggested = in.getShort() & 0xffff;
    long lifetime = in.getInt() & 0xffffffffL;
    requests.add(new Request("nat-pmp", 1, internal, suggested, lifetime));
    long granted = lifetime == 0 ? 0 : grantLifetime == 0 ? lifetime : grantLifetime;
    int port = lifetime == 0 ? 0 : assignPort != 0 ? assignPort : suggested == 0 ? 40000 : suggested;
    return ByteBuffer.allocate(16).put((byte) 0).put((byte) 129).putShort((short) errorCode).putInt(epoch())
        .putShort((short) internal).putShort((short) port).putInt((int) granted).array();
  }

  private byte[] pcp(byte[] req) {
    if (req.length < 60 || (req[1] & 0xff) != 1) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(req);
    in.position(4);
    long lifetime = in.getInt() & 0xffffffffL;
    byte[] nonce = Arrays.copyOfRange(req, 24, 36);
    int protocol = req[36] & 0xff;
    in.position(40);
    int internal = in.getShort() & 0xffff;
    int suggested = in.getShort() & 0xffff;
    requests.add(new Request("pcp", 1, internal, suggested, lifetime));
    long granted = lifetime == 0 ? 0 : grantLifetime == 0 ? lifetime : grantLifetime;
    int port = assignPort != 0 ? assignPort : suggested == 0 ? 40000 : suggested;
    ByteBuffer out = ByteBuffer.allocate(60);
    out.put((byte) 2).put((byte) 0x81).put((byte) 0).put((byte) errorCode).putInt((int) granted).putInt(epoch());
    out.put(new byte[12]);
    out.put(nonce).put((byte) protocol).put(new byte[3]).putShort((short) internal).putShort((short) port);
    byte[] ext16 = new byte[16];
    ext16[10] = (byte) 0xff;
    ext16[11] = (byte) 0xff;
    System.arraycopy(external.getAddress(), 0, ext16, 12, 4);
    out.put(ext16);
    return out.array();
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(10_000);
  }
}
