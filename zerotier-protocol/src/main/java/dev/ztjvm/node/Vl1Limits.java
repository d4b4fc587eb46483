package dev.ztjvm.node;

/**
 * Bounds on everything a {@link Vl1Node} keeps because of what arrives from the wire, so that unauthenticated
 * traffic (spoofed sources, random addresses) cannot exhaust its memory or CPU. When a table is full the oldest
 * entry goes first; every packet refused or pushed out is counted under a {@link Vl1Counters.Drop} reason. See
 * docs/reliability.md.
 *
 * @param maxPeers peers kept at once; beyond it the least recently heard leaf is forgotten (upstreams never are)
 * @param maxWhoisPending addresses waiting for a WHOIS answer at once (each holds up to 32 packets each way)
 * @param maxHeldBytes bytes of packets held for WHOIS answers, all addresses together
 * @param maxHeldBytesPerSource bytes of inbound packets held for one physical source IP address
 * @param whoisPerSecond WHOIS requests this node sends per second at most (retries included)
 * @param newIdentityAgreementsPerSecond X25519 key agreements for HELLOs from unknown identities per second, all
 *     sources together (the elliptic-curve work an unauthenticated packet can make us do)
 * @param newIdentityAgreementsPerSourcePerSecond the same, per physical source IP address
 * @param fragmentSlotsPerSource packets one physical source IP may have in reassembly at once (of 32)
 */
public record Vl1Limits(
    int maxPeers,
    int maxWhoisPending,
    long maxHeldBytes,
    long maxHeldBytesPerSource,
    int whoisPerSecond,
    int newIdentityAgreementsPerSecond,
    int newIdentityAgreementsPerSourcePerSecond,
    int fragmentSlotsPerSource) {

  /**
   * Defaults sized for a root of a private planet on a modest heap: 65,536 peers, 4,096 pending WHOIS addresses,
   * 8 MiB held in total and 256 KiB per source, 100 WHOIS/s, 500 new-identity agreements/s (8 per source), 8 of 32
   * reassembly slots per source.
   */
  public static final Vl1Limits DEFAULT = new Vl1Limits(65_536, 4_096, 8L << 20, 256L << 10, 100, 500, 8, 8);

  public Vl1Limits {
    positive("maxPeers", maxPeers);
    positive("maxWhoisPending", maxWhoisPending);
    positive("maxHeldBytes", maxHeldBytes);
    positive("maxHeldBytesPerSource", maxHeldBytesPerSource);
    positive("whoisPerSecond", whoisPerSecond);
    positive("newIdentityAgreementsPerSecond", newIdentityAgreementsPerSecond);
    positive("newIdentityAgreementsPerSourcePerSecond", newIdentityAgreementsPerSourcePerSecond);
    positive("fragmentSlotsPerSource", fragmentSlotsPerSource);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  public Vl1Limits withMaxPeers(int n) {
    return new Vl1Limits(n, maxWhoisPending, maxHeldBytes, maxHeldBytesPerSource, whoisPerSecond,
        newIdentityAgreementsPerSecond, newIdentityAgreementsPerSourcePerSecond, fragmentSlotsPerSource);
  }

  public Vl1Limits withMaxWhoisPending(int n) {
    return new Vl1Limits(maxPeers, n, maxHeldBytes, maxHeldBytesPerSource, whoisPerSecond,
        newIdentityAgreementsPerSecond, newIdentityAgreementsPerSourcePerSecond, fragmentSlotsPerSource);
  }

  public Vl1Limits withMaxHeldBytes(long total, long perSource) {
    return new Vl1Limits(maxPeers, maxWhoisPending, total, perSource, whoisPerSecond,
        newIdentityAgreementsPerSecond, newIdentityAgreementsPerSourcePerSecond, fragmentSlotsPerSource);
  }

  public Vl1Limits withNewIdentityAgreements(int perSecond, int perSourcePerSecond) {
    return new Vl1Limits(maxPeers, maxWhoisPending, maxHeldBytes, maxHeldBytesPerSource, whoisPerSecond,
        perSecond, perSourcePerSecond, fragmentSlotsPerSource);
  }
}
