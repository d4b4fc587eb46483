package dev.ztjvm.vl2;

import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import org.jspecify.annotations.Nullable;

/**
 * A NETWORK_CONFIG_REQUEST payload (spec 3.11, 7.3): {@code nwid (8) | metadata length (2) | metadata dictionary |
 * revision held (8) | timestamp held (8)}.
 *
 * @param networkId the network asked for
 * @param metadata the requester's metadata
 * @param haveRevision revision of the config the requester holds (0 = none)
 * @param haveTimestamp timestamp of the config the requester holds (0 = none)
 */
public record ConfigRequest(long networkId, Metadata metadata, long haveRevision, long haveTimestamp) {

  /**
   * The request metadata dictionary (spec 7.3), with the values a 1.14.1 node sends by default.
   *
   * @param configVersion {@code v}: config format version understood (7)
   * @param vendor {@code vend} (1 = ZeroTier)
   * @param protocolVersion {@code pv} (12)
   * @param majorVersion {@code majv}
   * @param minorVersion {@code minv}
   * @param revision {@code revv}
   * @param maxRules {@code mr} (1024)
   * @param maxCapabilities {@code mc} (128)
   * @param maxCapabilityRules {@code mcr} (64)
   * @param maxTags {@code mt} (128)
   * @param flags {@code f} (0)
   * @param rulesEngineRevision {@code revr} (1; 0 makes a controller send a single accept rule)
   * @param osArch {@code o}, informative, e.g. {@code linux/x86_64}
   * @param authToken the value of {@code a} without its {@code token:} prefix, or null
   * @param extra other keys, kept
   */
  public record Metadata(
      long configVersion,
      long vendor,
      long protocolVersion,
      long majorVersion,
      long minorVersion,
      long revision,
      long maxRules,
      long maxCapabilities,
      long maxCapabilityRules,
      long maxTags,
      long flags,
      long rulesEngineRevision,
      String osArch,
      @Nullable String authToken,
      Dictionary extra) {

    public Metadata {
      extra = extra.copy();
    }

    @Override
    public Dictionary extra() {
      return extra.copy();
    }

    /** What ZeroTier One 1.14.1 sends, with the given OS/arch string. */
    public static Metadata defaults(String osArch) {
      return new Metadata(7, 1, 12, 1, 14, 1, Rule.MAX_NETWORK_RULES, NetworkConfig.MAX_CAPABILITIES,
          Rule.MAX_CAPABILITY_RULES, NetworkConfig.MAX_TAGS, 0, 1, osArch, null, new Dictionary());
    }

    /** This metadata with an auth token ({@code a=token:<t>}). */
    public Metadata withAuthToken(@Nullable String token) {
      return new Metadata(configVersion, vendor, protocolVersion, majorVersion, minorVersion, revision, maxRules,
          maxCapabilities, maxCapabilityRules, maxTags, flags, rulesEngineRevision, osArch, token, extra);
    }

    /** In the key order 1.14 writes. */
    public Dictionary toDictionary() {
      Dictionary d = new Dictionary()
          .putU64("v", configVersion).putU64("vend", vendor).putU64("pv", protocolVersion)
          .putU64("majv", majorVersion).putU64("minv", minorVersion).putU64("revv", revision)
          .putU64("mr", maxRules).putU64("mc", maxCapabilities).putU64("mcr", maxCapabilityRules)
          .putU64("mt", maxTags).putU64("f", flags).putU64("revr", rulesEngineRevision).putString("o", osArch);
      if (authToken != null) {
        d.putString("a", "token:" + authToken);
      }
      for (String k : extra.keys()) {
        if (!d.contains(k)) {
          d.putBytes(k, extra.getBytes(k));
        }
      }
      return d;
    }

    /** Reads metadata; missing keys read as 0 (what a 1.x controller assumes). */
    public static Metadata fromDictionary(Dictionary d) {
      String a = d.getString("a").orElse(null);
      String token = a != null && a.startsWith("token:") ? a.substring(6) : null;
      Dictionary extra = new Dictionary();
      java.util.Set<String> known = java.util.Set.of("v", "vend", "pv", "majv", "minv", "revv", "mr", "mc", "mcr",
          "mt", "f", "revr", "o");
      for (String k : d.keys()) {
        if (!known.contains(k) && !(k.equals("a") && token != null)) {
          extra.putBytes(k, d.getBytes(k));
        }
      }
      return new Metadata(d.getU64("v", 0), d.getU64("vend", 0), d.getU64("pv", 0), d.getU64("majv", 0),
          d.getU64("minv", 0), d.getU64("revv", 0), d.getU64("mr", 0), d.getU64("mc", 0), d.getU64("mcr", 0),
          d.getU64("mt", 0), d.getU64("f", 0), d.getU64("revr", 0), d.getString("o").orElse(""), token, extra);
    }
  }

  /**
   * The payload bytes.
   *
   * @throws IllegalArgumentException if the metadata does not fit the 1.x capacity (1,024 bytes incl. NUL)
   */
  public byte[] toBytes() {
    byte[] md = metadata.toDictionary().toBytes();
    if (md.length >= Dictionary.METADATA_CAPACITY) {
      throw new IllegalArgumentException("request metadata of " + md.length + " bytes exceeds the 1.x capacity");
    }
    return new WireWriter(md.length + 26).u64(networkId).u16(md.length).bytes(md).u64(haveRevision).u64(haveTimestamp)
        .toByteArray();
  }

  /**
   * Parses a request payload. The revision/timestamp fields may be absent (old senders): they read as 0.
   *
   * @throws WireFormatException if truncated or the metadata exceeds the 1.x capacity
   */
  public static ConfigRequest parse(byte[] b, int off, int len) {
    WireReader c = WireReader.of(b, off, off + len, "NETWORK_CONFIG_REQUEST");
    long nwid = c.u64();
    int mdLen = c.u16();
    if (mdLen >= Dictionary.METADATA_CAPACITY) {
      throw c.error("metadata of " + mdLen + " bytes exceeds the 1.x capacity");
    }
    int mdOff = c.position();
    c.skip(mdLen);
    Metadata md = Metadata.fromDictionary(Dictionary.parse(b, mdOff, mdLen));
    long rev = 0;
    long ts = 0;
    if (c.remaining() >= 16) {
      rev = c.u64();
      ts = c.u64();
    }
    return new ConfigRequest(nwid, md, rev, ts);
  }
}
