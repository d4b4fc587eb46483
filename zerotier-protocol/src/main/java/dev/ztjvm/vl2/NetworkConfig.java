package dev.ztjvm.vl2;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A network configuration as issued by a 1.x controller (spec 7.4): every key of the 1.14 dictionary, parsed and
 * serialised in the order 1.14 writes it. Keys this class does not know are kept in {@link #extra()} and written
 * after the known ones. Immutable value; use {@link #builder()} / {@link #toBuilder()} to make changed copies.
 *
 * @param version config format version ({@code v}, 7 from 1.14; at least 6 is required on read)
 * @param networkId network ID ({@code nwid})
 * @param timestamp controller time of issue in ms ({@code ts})
 * @param credentialTimeMaxDelta credential time max delta in ms ({@code ctmd})
 * @param revision network revision ({@code r})
 * @param issuedTo member address ({@code id})
 * @param remoteTraceTarget remote trace target address or 0 ({@code tt})
 * @param remoteTraceLevel remote trace level ({@code tl})
 * @param flags {@code f}: {@link #FLAG_ENABLE_BROADCAST}, {@link #FLAG_ENABLE_IPV6_NDP_EMULATION},
 *     {@link #FLAG_RULES_RESULT_OF_UNSUPPORTED_MATCH}, {@link #FLAG_DISABLE_COMPRESSION}
 * @param multicastLimit max recipients per multicast, 0 = multicast off ({@code ml})
 * @param type {@link #TYPE_PRIVATE} or {@link #TYPE_PUBLIC} ({@code t})
 * @param name network name, at most 127 bytes ({@code n})
 * @param mtu virtual MTU clamped to 1280..10000 ({@code mtu})
 * @param com certificate of membership or null ({@code C})
 * @param capabilities capabilities ({@code CAP})
 * @param tags tags ({@code TAG})
 * @param certificatesOfOwnership certificates of ownership ({@code COO})
 * @param specialists specialist entries: low 40 bits address plus {@code SPECIALIST_*} bits ({@code S})
 * @param routes managed routes ({@code RT})
 * @param staticIps managed addresses ({@code I})
 * @param rules flow rules ({@code R}); empty when absent
 * @param dns DNS settings ({@code DNS})
 * @param sso SSO fields
 * @param extra unknown keys, kept in order
 */
public record NetworkConfig(
    long version,
    long networkId,
    long timestamp,
    long credentialTimeMaxDelta,
    long revision,
    long issuedTo,
    long remoteTraceTarget,
    long remoteTraceLevel,
    long flags,
    long multicastLimit,
    int type,
    String name,
    int mtu,
    @Nullable CertificateOfMembership com,
    List<Capability> capabilities,
    List<Tag> tags,
    List<CertificateOfOwnership> certificatesOfOwnership,
    List<Long> specialists,
    List<Route> routes,
    List<IpPrefix> staticIps,
    List<Rule> rules,
    DnsConfig dns,
    SsoConfig sso,
    Dictionary extra) {

  public static final long CURRENT_VERSION = 7;
  public static final int TYPE_PRIVATE = 0;
  public static final int TYPE_PUBLIC = 1;
  public static final long FLAG_ENABLE_BROADCAST = 0x02;
  public static final long FLAG_ENABLE_IPV6_NDP_EMULATION = 0x04;
  public static final long FLAG_RULES_RESULT_OF_UNSUPPORTED_MATCH = 0x08;
  public static final long FLAG_DISABLE_COMPRESSION = 0x10;
  public static final long SPECIALIST_ACTIVE_BRIDGE = 0x0000020000000000L;
  public static final long SPECIALIST_ANCHOR = 0x0000040000000000L;
  public static final long SPECIALIST_MULTICAST_REPLICATOR = 0x0000080000000000L;
  public static final int DEFAULT_MTU = 2800;
  public static final int MIN_MTU = 1280;
  public static final int MAX_MTU = 10000;
  public static final int MAX_NAME_LENGTH = 127;
  public static final int MAX_ROUTES = 128;
  public static final int MAX_STATIC_IPS = 32;
  public static final int MAX_SPECIALISTS = 256;
  public static final int MAX_CAPABILITIES = 128;
  public static final int MAX_TAGS = 128;
  public static final int MAX_CERTIFICATES_OF_OWNERSHIP = 4;
  /** Default credential time max delta (30 min). */
  public static final long DEFAULT_CREDENTIAL_TIME_MAX_DELTA = 30 * 60 * 1000L;

  private static final Set<String> KNOWN_KEYS = Set.of("v", "nwid", "ts", "ctmd", "r", "id", "tt", "tl", "f", "ml",
      "t", "n", "mtu", "C", "CAP", "TAG", "COO", "S", "RT", "I", "R", "DNS", "ssov", "ssoe", "aurl", "aexpt", "iurl",
      "ssoce", "sson", "ssos", "ssocid", "ssop");

  public NetworkConfig {
    capabilities = List.copyOf(capabilities);
    tags = List.copyOf(tags);
    certificatesOfOwnership = List.copyOf(certificatesOfOwnership);
    specialists = List.copyOf(specialists);
    routes = List.copyOf(routes);
    staticIps = List.copyOf(staticIps);
    rules = List.copyOf(rules);
    extra = extra.copy();
  }

  /** The unknown keys (a copy). */
  @Override
  public Dictionary extra() {
    return extra.copy();
  }

  // ---- derived views ---------------------------------------------------------------------------------------

  public boolean isPrivate() {
    return type != TYPE_PUBLIC;
  }

  public boolean broadcastEnabled() {
    return (flags & FLAG_ENABLE_BROADCAST) != 0;
  }

  public boolean ndpEmulation() {
    return (flags & FLAG_ENABLE_IPV6_NDP_EMULATION) != 0;
  }

  public boolean compressionDisabled() {
    return (flags & FLAG_DISABLE_COMPRESSION) != 0;
  }

  /** The rules to evaluate: {@link #rules()} or, when the config carries none, accept-all. */
  public List<Rule> effectiveRules() {
    return rules.isEmpty() ? RuleEngine.DEFAULT_RULES : rules;
  }

  /** Addresses of specialists with the given role bit. */
  public List<Long> specialistsWith(long role) {
    List<Long> out = new ArrayList<>();
    for (long s : specialists) {
      if ((s & role) != 0) {
        out.add(s & 0xffffffffffL);
      }
    }
    return out;
  }

  /** Our own tag with this id, or null. */
  public @Nullable Tag tag(long id) {
    for (Tag t : tags) {
      if (t.id() == id) {
        return t;
      }
    }
    return null;
  }

  /** A {@link RuleEngine.TagLookup} over our own tags. */
  public RuleEngine.TagLookup localTagLookup() {
    long[] ids = new long[tags.size()];
    long[] values = new long[tags.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = tags.get(i).id();
      values[i] = tags.get(i).value();
    }
    return id -> {
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] == id) {
          return values[i];
        }
      }
      return -1;
    };
  }

  /** Ownership by our own certificates of ownership (for outbound rule evaluation). */
  public RuleEngine.Ownership localOwnership() {
    return RuleEngine.Ownership.of(certificatesOfOwnership);
  }

  // ---- parse -----------------------------------------------------------------------------------------------

  /**
   * Parses a serialized config dictionary (an assembled NETWORK_CONFIG).
   *
   * @throws WireFormatException if the dictionary is too large, required keys are missing ({@code nwid}, {@code id},
   *     {@code v} ≥ 6) or a binary field other than CAP/TAG is malformed (1.x rejects the config then too)
   */
  public static NetworkConfig parse(byte[] dictionary) {
    if (dictionary.length >= Dictionary.NETWORK_CONFIG_CAPACITY) {
      throw new WireFormatException("network config: " + dictionary.length + " bytes exceeds the 1.x capacity");
    }
    return fromDictionary(Dictionary.parse(dictionary));
  }

  /** Builds the model from a parsed dictionary; see {@link #parse(byte[])}. */
  public static NetworkConfig fromDictionary(Dictionary d) {
    long nwid = d.getU64("nwid", 0);
    if (nwid == 0) {
      throw new WireFormatException("network config: missing or zero nwid");
    }
    long issuedTo = d.getU64("id", 0) & 0xffffffffffL; // an address is 40 bits (1.x truncates the same way)
    if (issuedTo == 0) {
      throw new WireFormatException("network config: missing or zero id");
    }
    long version = d.getU64("v", 0);
    if (Long.compareUnsigned(version, 6) < 0) {
      throw new WireFormatException("network config: version " + version + " (< 6, legacy format not supported)");
    }
    Builder b = builder(nwid, issuedTo);
    b.version = version;
    b.timestamp = d.getU64("ts", 0);
    b.credentialTimeMaxDelta = d.getU64("ctmd", 0);
    b.revision = d.getU64("r", 0);
    b.remoteTraceTarget = d.getU64("tt", 0) & 0xffffffffffL;
    b.remoteTraceLevel = d.getU64("tl", 0);
    b.multicastLimit = d.getU64("ml", 0);
    byte[] name = d.getBytes("n");
    if (name != null) {
      int n = 0;
      while (n < name.length && n < MAX_NAME_LENGTH && name[n] != 0) {
        n++;
      }
      b.name = decodeName(name, n);
    }
    long mtu = d.getU64("mtu", DEFAULT_MTU);
    b.mtu = (int) (Long.compareUnsigned(mtu, MIN_MTU) < 0 ? MIN_MTU : Long.compareUnsigned(mtu, MAX_MTU) > 0 ? MAX_MTU
        : mtu);
    b.flags = d.getU64("f", 0);
    b.type = (int) d.getU64("t", TYPE_PRIVATE);

    byte[] v = d.getBytes("C");
    if (v != null) {
      b.com = CertificateOfMembership.read(v, 0, v.length).value();
    }
    v = d.getBytes("CAP");
    if (v != null) {
      try { // 1.x keeps the capabilities parsed before a malformed one
        for (int p = 0; p < v.length && b.capabilities.size() < MAX_CAPABILITIES;) {
          Parsed<Capability> c = Capability.read(v, p, v.length);
          b.capabilities.add(c.value());
          p += c.length();
        }
      } catch (WireFormatException e) {
        // keep what was read
      }
    }
    v = d.getBytes("TAG");
    if (v != null) {
      try {
        for (int p = 0; p < v.length && b.tags.size() < MAX_TAGS;) {
          Parsed<Tag> t = Tag.read(v, p, v.length);
          b.tags.add(t.value());
          p += t.length();
        }
      } catch (WireFormatException e) {
        // keep what was read
      }
    }
    v = d.getBytes("COO");
    if (v != null) {
      for (int p = 0; p < v.length;) {
        Parsed<CertificateOfOwnership> c = CertificateOfOwnership.read(v, p, v.length);
        if (b.certificatesOfOwnership.size() < MAX_CERTIFICATES_OF_OWNERSHIP) {
          b.certificatesOfOwnership.add(c.value());
        }
        p += c.length();
      }
    }
    v = d.getBytes("S");
    if (v != null) {
      for (int p = 0; p + 8 <= v.length; p += 8) {
        if (b.specialists.size() < MAX_SPECIALISTS) {
          b.specialists.add(Bytes.u64(v, p));
        }
      }
    }
    v = d.getBytes("RT");
    if (v != null) {
      int p = 0;
      while (p < v.length && b.routes.size() < MAX_ROUTES) {
        InetCodec.Decoded target = InetCodec.read(v, p, v.length);
        p += target.length();
        InetCodec.Decoded via = InetCodec.read(v, p, v.length);
        p += via.length();
        WireReader.requireRange(v, p, 4, v.length, "route flags/metric");
        int flags = Bytes.u16(v, p);
        int metric = Bytes.u16(v, p + 2);
        p += 4;
        if (target.address() == null) {
          throw new WireFormatException("route without a target address");
        }
        b.routes.add(new Route(new IpPrefix(target.address(), target.port()),
            via.address() == null ? null : new IpPrefix(via.address(), via.port()), flags, metric));
      }
    }
    v = d.getBytes("I");
    if (v != null) {
      int p = 0;
      while (p < v.length && b.staticIps.size() < MAX_STATIC_IPS) {
        InetCodec.Decoded ip = InetCodec.read(v, p, v.length);
        p += ip.length();
        if (ip.address() != null) {
          b.staticIps.add(new IpPrefix(ip.address(), ip.port()));
        }
      }
    }
    v = d.getBytes("R");
    if (v != null) {
      b.rules.addAll(Rule.parseList(v, 0, v.length, Rule.MAX_NETWORK_RULES));
    }
    v = d.getBytes("DNS");
    if (v != null) {
      b.dns = parseDns(v);
    }
    b.sso = parseSso(d);
    for (String k : d.keys()) {
      if (!KNOWN_KEYS.contains(k)) {
        b.extra.putBytes(k, d.getBytes(k));
      }
    }
    return b.build();
  }

  /** As 1.14 reads them: fields only for versions 0/1 with SSO enabled, everything else blank. */
  private static SsoConfig parseSso(Dictionary d) {
    long version = d.getU64("ssov", 0);
    boolean enabled = d.getBool("ssoe", false);
    if (!enabled || (version != 0 && version != 1)) {
      return new SsoConfig(version, enabled, "", 0, "", "", "", "", "", "");
    }
    if (version == 0) {
      return new SsoConfig(0, true, text(d, "aurl"), d.getI64("aexpt", 0), "", "", "", "", "", "");
    }
    String provider = text(d, "ssop");
    return new SsoConfig(1, true, text(d, "aurl"), 0, text(d, "iurl"), text(d, "ssoce"), text(d, "sson"),
        text(d, "ssos"), text(d, "ssocid"), provider.isEmpty() ? "default" : provider);
  }

  /**
   * Network names are at most 127 bytes. Valid UTF-8 is kept; a malformed name has its non-ASCII bytes replaced by
   * '?' so that it re-serialises to the same length.
   */
  static String decodeName(byte[] raw, int len) {
    java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder();
    try {
      return dec.decode(java.nio.ByteBuffer.wrap(raw, 0, len)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      char[] c = new char[len];
      for (int i = 0; i < len; i++) {
        c[i] = raw[i] >= 0x20 && raw[i] < 0x7f ? (char) raw[i] : '?';
      }
      return new String(c);
    }
  }

  /** UTF-8 bytes of the name, cut at a character boundary to at most 127 bytes. */
  static byte[] encodeName(String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    if (b.length <= MAX_NAME_LENGTH) {
      return b;
    }
    int n = MAX_NAME_LENGTH;
    while (n > 0 && (b[n] & 0xc0) == 0x80) {
      n--; // do not split a multi-byte character
    }
    return Arrays.copyOf(b, n);
  }

  private static String text(Dictionary d, String key) {
    return d.getString(key).orElse("");
  }

  private static DnsConfig parseDns(byte[] v) {
    WireReader.requireRange(v, 0, 128, v.length, "DNS search domain");
    int n = 0;
    while (n < 127 && v[n] != 0) {
      n++;
    }
    String domain = new String(v, 0, n, StandardCharsets.UTF_8);
    List<InetSocketAddress> servers = new ArrayList<>(4);
    int p = 128;
    for (int i = 0; i < DnsConfig.MAX_SERVERS; i++) {
      InetCodec.Decoded s = InetCodec.read(v, p, v.length);
      p += s.length();
      if (s.address() != null) {
        servers.add(new InetSocketAddress(s.address(), s.port()));
      }
    }
    return new DnsConfig(domain, servers);
  }

  // ---- serialise -------------------------------------------------------------------------------------------

  /** The dictionary in the key order and formats 1.14 writes, followed by the unknown keys. */
  public Dictionary toDictionary() {
    Dictionary d = new Dictionary();
    d.putU64("v", version);
    d.putU64("nwid", networkId);
    d.putI64("ts", timestamp);
    d.putI64("ctmd", credentialTimeMaxDelta);
    d.putU64("r", revision);
    d.putAddress("id", issuedTo);
    d.putAddress("tt", remoteTraceTarget);
    d.putU64("tl", remoteTraceLevel);
    d.putU64("f", flags);
    d.putU64("ml", multicastLimit);
    d.putU64("t", type);
    d.putBytes("n", encodeName(name));
    d.putU64("mtu", mtu);
    if (com != null) {
      d.putBytes("C", com.toBytes());
    }
    WireWriter s = new WireWriter();
    capabilities.forEach(c -> c.write(s));
    putIfAny(d, "CAP", s);
    WireWriter t = new WireWriter();
    tags.forEach(x -> x.write(t));
    putIfAny(d, "TAG", t);
    WireWriter o = new WireWriter();
    certificatesOfOwnership.forEach(x -> x.write(o));
    putIfAny(d, "COO", o);
    WireWriter sp = new WireWriter();
    specialists.forEach(sp::u64);
    putIfAny(d, "S", sp);
    WireWriter rt = new WireWriter();
    for (Route r : routes) {
      InetCodec.write(rt, r.target());
      IpPrefix via = r.via();
      if (via == null) {
        rt.u8(0);
      } else {
        InetCodec.write(rt, via);
      }
      rt.u16(r.flags()).u16(r.metric());
    }
    putIfAny(d, "RT", rt);
    WireWriter ip = new WireWriter();
    staticIps.forEach(x -> InetCodec.write(ip, x));
    putIfAny(d, "I", ip);
    if (!rules.isEmpty()) {
      d.putBytes("R", Rule.toBytes(rules));
    }
    WireWriter dn = new WireWriter(160);
    byte[] dom = Arrays.copyOf(dns.domain().getBytes(StandardCharsets.UTF_8), 128);
    dom[127] = 0;
    dn.bytes(dom);
    for (int i = 0; i < DnsConfig.MAX_SERVERS; i++) {
      InetCodec.write(dn, i < dns.servers().size() ? dns.servers().get(i) : null);
    }
    d.putBytes("DNS", dn.toByteArray());
    if (sso.version() == 0) {
      d.putU64("ssov", 0);
      d.putBool("ssoe", sso.enabled());
      if (sso.enabled()) {
        if (!sso.authenticationUrl().isEmpty()) {
          d.putString("aurl", sso.authenticationUrl());
        }
        d.putI64("aexpt", sso.authenticationExpiryTime());
      }
    } else if (sso.version() == 1) {
      d.putU64("ssov", 1);
      d.putBool("ssoe", sso.enabled());
      if (!sso.authenticationUrl().isEmpty()) {
        d.putString("aurl", sso.authenticationUrl()); // read but not written by 1.14; kept so nothing is lost
      }
      d.putString("iurl", sso.issuerUrl());
      d.putString("ssoce", sso.centralEndpointUrl());
      d.putString("sson", sso.nonce());
      d.putString("ssos", sso.state());
      d.putString("ssocid", sso.clientId());
      d.putString("ssop", sso.provider());
    } else {
      // 1.14 writes nothing for versions it does not know; we keep version and flag so the model round-trips
      d.putU64("ssov", sso.version());
      d.putBool("ssoe", sso.enabled());
    }
    for (String k : extra.keys()) {
      if (!d.contains(k)) {
        d.putBytes(k, extra.getBytes(k));
      }
    }
    return d;
  }

  /** Serialized dictionary bytes (no terminating NUL). */
  public byte[] toBytes() {
    return toDictionary().toBytes();
  }

  private static void putIfAny(Dictionary d, String key, WireWriter s) {
    if (s.length() > 0) {
      d.putBytes(key, s.toByteArray());
    }
  }

  // ---- builder ---------------------------------------------------------------------------------------------

  /** A builder with 1.x defaults (version 7, MTU 2800, private, DNS none, SSO off). */
  public static Builder builder(long networkId, long issuedTo) {
    return new Builder(networkId, issuedTo);
  }

  public Builder toBuilder() {
    Builder b = new Builder(networkId, issuedTo);
    b.version = version;
    b.timestamp = timestamp;
    b.credentialTimeMaxDelta = credentialTimeMaxDelta;
    b.revision = revision;
    b.remoteTraceTarget = remoteTraceTarget;
    b.remoteTraceLevel = remoteTraceLevel;
    b.flags = flags;
    b.multicastLimit = multicastLimit;
    b.type = type;
    b.name = name;
    b.mtu = mtu;
    b.com = com;
    b.capabilities.addAll(capabilities);
    b.tags.addAll(tags);
    b.certificatesOfOwnership.addAll(certificatesOfOwnership);
    b.specialists.addAll(specialists);
    b.routes.addAll(routes);
    b.staticIps.addAll(staticIps);
    b.rules.addAll(rules);
    b.dns = dns;
    b.sso = sso;
    b.extra = extra.copy();
    return b;
  }

  /** Mutable builder; fields are public-by-setter. */
  public static final class Builder {
    long version = CURRENT_VERSION;
    long networkId;
    long timestamp;
    long credentialTimeMaxDelta = DEFAULT_CREDENTIAL_TIME_MAX_DELTA;
    long revision;
    long issuedTo;
    long remoteTraceTarget;
    long remoteTraceLevel;
    long flags;
    long multicastLimit = 32;
    int type = TYPE_PRIVATE;
    String name = "";
    int mtu = DEFAULT_MTU;
    @Nullable CertificateOfMembership com;
    final List<Capability> capabilities = new ArrayList<>();
    final List<Tag> tags = new ArrayList<>();
    final List<CertificateOfOwnership> certificatesOfOwnership = new ArrayList<>();
    final List<Long> specialists = new ArrayList<>();
    final List<Route> routes = new ArrayList<>();
    final List<IpPrefix> staticIps = new ArrayList<>();
    final List<Rule> rules = new ArrayList<>();
    DnsConfig dns = DnsConfig.NONE;
    SsoConfig sso = SsoConfig.DISABLED;
    Dictionary extra = new Dictionary();

    private Builder(long networkId, long issuedTo) {
      this.networkId = networkId;
      this.issuedTo = issuedTo;
    }

    public Builder version(long v) {
      version = v;
      return this;
    }

    public Builder networkId(long v) {
      networkId = v;
      return this;
    }

    public Builder issuedTo(long v) {
      issuedTo = v;
      return this;
    }

    public Builder timestamp(long v) {
      timestamp = v;
      return this;
    }

    public Builder credentialTimeMaxDelta(long v) {
      credentialTimeMaxDelta = v;
      return this;
    }

    public Builder revision(long v) {
      revision = v;
      return this;
    }

    public Builder remoteTrace(long target, long level) {
      remoteTraceTarget = target;
      remoteTraceLevel = level;
      return this;
    }

    public Builder flags(long v) {
      flags = v;
      return this;
    }

    public Builder multicastLimit(long v) {
      multicastLimit = v;
      return this;
    }

    public Builder type(int v) {
      type = v;
      return this;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder mtu(int v) {
      mtu = Math.max(MIN_MTU, Math.min(MAX_MTU, v));
      return this;
    }

    public Builder com(@Nullable CertificateOfMembership v) {
      com = v;
      return this;
    }

    public Builder capabilities(List<Capability> v) {
      capabilities.clear();
      capabilities.addAll(v);
      return this;
    }

    public Builder tags(List<Tag> v) {
      tags.clear();
      tags.addAll(v);
      return this;
    }

    public Builder certificatesOfOwnership(List<CertificateOfOwnership> v) {
      certificatesOfOwnership.clear();
      certificatesOfOwnership.addAll(v);
      return this;
    }

    public Builder specialists(List<Long> v) {
      specialists.clear();
      specialists.addAll(v);
      return this;
    }

    public Builder routes(List<Route> v) {
      routes.clear();
      routes.addAll(v);
      return this;
    }

    public Builder staticIps(List<IpPrefix> v) {
      staticIps.clear();
      staticIps.addAll(v);
      return this;
    }

    public Builder rules(List<Rule> v) {
      rules.clear();
      rules.addAll(v);
      return this;
    }

    public Builder dns(DnsConfig v) {
      dns = v;
      return this;
    }

    public Builder sso(SsoConfig v) {
      sso = v;
      return this;
    }

    public Builder extra(Dictionary v) {
      extra = v.copy();
      return this;
    }

    public NetworkConfig build() {
      return new NetworkConfig(version, networkId, timestamp, credentialTimeMaxDelta, revision, issuedTo,
          remoteTraceTarget, remoteTraceLevel, flags, multicastLimit, type, name, mtu, com, capabilities, tags,
          certificatesOfOwnership, specialists, routes, staticIps, rules, dns, sso, extra);
    }
  }
}
