package dev.ztjvm.vl2;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * A capability (spec 7.5): a rule list granted to a member, with a chain of custody whose first link is signed by
 * the controller. Immutable.
 */
public final class Capability {
  /** 1.x limit on the custody chain. */
  public static final int MAX_CUSTODY_CHAIN_LENGTH = 7;

  /** One link of the custody chain: {@code from} handed the capability to {@code to}. */
  public record Custody(long to, long from, byte[] signature) {
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Custody c && c.to == to && c.from == from && Arrays.equals(c.signature, signature);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(to * 31 + from);
    }
  }

  /** Outcome of verifying the custody chain. */
  public enum Verification {
    VALID, INVALID,
    /** A signer's identity is not known yet (1.x asks WHOIS and retries). */
    UNKNOWN_SIGNER
  }

  private final long networkId;
  private final long timestamp;
  private final long id;
  private final List<Rule> rules;
  private final int maxCustodyChainLength;
  private final List<Custody> custody;

  private Capability(long networkId, long timestamp, long id, List<Rule> rules, int maxChain, List<Custody> custody) {
    this.networkId = networkId;
    this.timestamp = timestamp;
    this.id = id & 0xffffffffL;
    this.rules = List.copyOf(rules);
    this.maxCustodyChainLength = maxChain;
    this.custody = List.copyOf(custody);
  }

  /**
   * A capability without custody yet.
   *
   * @throws IllegalArgumentException if more than 64 rules or chain length not 1..7
   */
  public static Capability of(long networkId, long timestamp, long id, List<Rule> rules, int maxCustodyChainLength) {
    if (rules.size() > Rule.MAX_CAPABILITY_RULES) {
      throw new IllegalArgumentException("a capability holds at most " + Rule.MAX_CAPABILITY_RULES + " rules");
    }
    if (maxCustodyChainLength < 1 || maxCustodyChainLength > MAX_CUSTODY_CHAIN_LENGTH) {
      throw new IllegalArgumentException("custody chain length must be 1..7");
    }
    return new Capability(networkId, timestamp, id, rules, maxCustodyChainLength, List.of());
  }

  /**
   * Appends a custody link signed by {@code from} (the controller for the first link) granting it to {@code to}.
   *
   * @throws IllegalStateException if the chain is full
   */
  public Capability sign(Identity from, long to) {
    if (custody.size() >= maxCustodyChainLength) {
      throw new IllegalStateException("custody chain is full");
    }
    List<Custody> c = new ArrayList<>(custody);
    c.add(new Custody(to, from.address(), Credentials.sign(from, signedMessage())));
    return new Capability(networkId, timestamp, id, rules, maxCustodyChainLength, c);
  }

  /**
   * Verifies the chain as 1.x does: the first link must exist and come from the network's controller, each later
   * link from the previous holder; every signature must verify.
   *
   * @param identities resolves a signer address to its identity, null if unknown
   */
  public Verification verify(LongFunction<@Nullable Identity> identities) {
    if (custody.isEmpty()) {
      return Verification.INVALID;
    }
    WireWriter m = signedMessage();
    for (int i = 0; i < custody.size(); i++) {
      Custody c = custody.get(i);
      if (c.to() == 0 || c.from() == 0) {
        return Verification.INVALID;
      }
      if (i == 0 ? c.from() != NetworkId.controllerAddress(networkId) : c.from() != custody.get(i - 1).to()) {
        return Verification.INVALID;
      }
      Identity signer = identities.apply(c.from());
      if (signer == null) {
        return Verification.UNKNOWN_SIGNER;
      }
      if (signer.address() != c.from() || !Credentials.verify(signer, m, c.signature())) {
        return Verification.INVALID;
      }
    }
    return Verification.VALID;
  }

  /** Convenience: verify a chain signed only by the controller. */
  public boolean verify(Identity controller) {
    return verify(a -> a == controller.address() ? controller : null) == Verification.VALID;
  }

  WireWriter signedMessage() {
    return Credentials.signedMessage(64 + rules.size() * 8, this::writeHead);
  }

  private void writeHead(WireWriter m) {
    m.u64(networkId).u64(timestamp).u32(id).u16(rules.size());
    Rule.writeList(m, rules);
    m.u8(maxCustodyChainLength);
  }

  public byte[] toBytes() {
    return Credentials.toBytes(128, this::write);
  }

  void write(WireWriter out) {
    writeHead(out);
    for (Custody c : custody) {
      out.u40(c.to()).u40(c.from());
      Credentials.signatureTriple(out, c.signature());
    }
    out.u40(0).u16(0);
  }

  public static Parsed<Capability> read(byte[] b, int off, int end) {
    WireReader c = WireReader.of(b, off, end, "capability");
    long nwid = c.u64();
    long ts = c.u64();
    long id = c.u32();
    int rc = c.u16();
    if (rc > Rule.MAX_CAPABILITY_RULES) {
      throw c.error(rc + " rules (at most " + Rule.MAX_CAPABILITY_RULES + ")");
    }
    List<Rule> rules = new ArrayList<>(rc);
    for (int i = 0; i < rc; i++) {
      int t = c.u8();
      int l = c.u8();
      rules.add(Rule.of(t, c.bytes(l)));
    }
    int maxChain = c.u8();
    if (maxChain < 1 || maxChain > MAX_CUSTODY_CHAIN_LENGTH) {
      throw c.error("custody chain length " + maxChain + " (must be 1..7)");
    }
    List<Custody> custody = new ArrayList<>();
    for (int i = 0;; i++) {
      long to = c.u40();
      if (to == 0) {
        break;
      }
      if (i >= maxChain) {
        throw c.error("custody chain longer than its maximum");
      }
      long from = c.u40();
      custody.add(new Custody(to, from, Credentials.readSignatureTriple(c)));
    }
    c.skip(c.u16());
    return new Parsed<>(new Capability(nwid, ts, id, rules, maxChain, custody), c.position() - off);
  }

  public long networkId() {
    return networkId;
  }

  public long timestamp() {
    return timestamp;
  }

  public long id() {
    return id;
  }

  public List<Rule> rules() {
    return rules;
  }

  public int maxCustodyChainLength() {
    return maxCustodyChainLength;
  }

  public List<Custody> custody() {
    return custody;
  }

  /** The current holder (last custody "to"), or 0. */
  public long holder() {
    return custody.isEmpty() ? 0 : custody.get(custody.size() - 1).to();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Capability c && c.networkId == networkId && c.timestamp == timestamp && c.id == id
        && c.rules.equals(rules) && c.maxCustodyChainLength == maxCustodyChainLength && c.custody.equals(custody);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(networkId * 31 + id) ^ rules.hashCode();
  }

  @Override
  public String toString() {
    return "Capability{id=" + id + ", rules=" + rules.size() + ", holder=" + Long.toHexString(holder()) + "}";
  }
}
