package dev.ztjvm.vl1;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * WHOIS (spec 3.5): the request is one or more 5-byte addresses; OK(WHOIS) carries one public identity (71 bytes)
 * per address found.
 */
public final class Whois {

  private Whois() {}

  /** Writes a complete WHOIS request packet and returns its length. */
  public static int writeRequest(byte[] buf, int off, long packetId, long destination, long source, long... addresses) {
    Packet.writeHeader(buf, off, packetId, destination, source, Verb.WHOIS);
    WireWriter w = new WireWriter(buf, off + Packet.IDX_PAYLOAD);
    for (long a : addresses) {
      w.u40(a);
    }
    return w.position() - off;
  }

  /** The addresses asked for in a dearmored WHOIS packet; null if the payload is empty or not a multiple of 5. */
  public static long @Nullable [] parseRequest(byte[] pkt, int off, int len) {
    int n = len - Packet.IDX_PAYLOAD;
    if (n <= 0 || n % 5 != 0) {
      return null;
    }
    long[] r = new long[n / 5];
    for (int i = 0; i < r.length; i++) {
      r[i] = Bytes.u40(pkt, off + Packet.IDX_PAYLOAD + 5 * i);
    }
    return r;
  }

  /** Writes the identities of an OK(WHOIS) at the writer (after {@link Responses#beginOk}); public forms only. */
  public static void writeOkData(WireWriter w, List<Identity> identities) {
    for (Identity id : identities) {
      w.position(w.position() + id.writeBinary(w.array(), w.position(), false));
    }
  }

  /** The identities in a dearmored OK(WHOIS) packet; null if any is malformed. Not proof-of-work checked. */
  public static @Nullable List<Identity> parseOkData(byte[] pkt, int off, int len) {
    try {
      WireReader r = new WireReader(pkt, off, len);
      r.skip(Responses.IDX_OK_DATA);
      List<Identity> ids = new ArrayList<>();
      while (r.remaining() > 0) {
        ids.add(r.identity().publicOnly());
      }
      return ids;
    } catch (WireFormatException e) {
      return null;
    }
  }
}
