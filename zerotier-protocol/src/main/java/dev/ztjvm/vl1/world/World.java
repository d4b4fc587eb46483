package dev.ztjvm.vl1.world;

import dev.ztjvm.crypto.C25519;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl1.InetAddresses;
import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A planet or moon (spec 5.1): the signed list of root servers with their stable endpoints.
 *
 * <pre>
 * type (1) | id (8) | timestamp (8) | updatesMustBeSignedBy (64) | signature (96) | root count (1)
 *   | per root: identity (71) | endpoint count (1) | endpoints (InetAddress each)
 *   | moons only: dictionary length (2) | dictionary
 * </pre>
 *
 * The signature covers {@code 8 × 0x7f ‖ the above without the signature ‖ 8 × 0xf7}. It is made with the key whose
 * public half was in {@code updatesMustBeSignedBy} of the world being replaced (see {@link #shouldReplace}).
 *
 * @param updatesMustBeSignedBy 64-byte public key that must sign the next revision
 * @param signature 96-byte signature
 * @param dictionary moon dictionary bytes (always empty in 1.x; ignored for planets)
 */
public record World(
    Type type,
    long id,
    long timestamp,
    byte[] updatesMustBeSignedBy,
    byte[] signature,
    List<Root> roots,
    byte[] dictionary) {

  public static final int MAX_ROOTS = 4;
  public static final int MAX_ENDPOINTS_PER_ROOT = 32;
  /** World ID of the default planet ("Earth"). */
  public static final long DEFAULT_PLANET_ID = 149_604_618L;

  private static final int SIGNATURE_LENGTH = 96;
  private static final int KEY_LENGTH = 64;

  /** World type. */
  public enum Type {
    PLANET(1), MOON(127);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static @Nullable Type of(int code) {
      return code == 1 ? PLANET : code == 127 ? MOON : null;
    }
  }

  /** A root server: its identity (public) and stable endpoints. */
  public record Root(Identity identity, List<InetSocketAddress> stableEndpoints) {
    public Root {
      identity = identity.publicOnly();
      stableEndpoints = List.copyOf(stableEndpoints);
      if (stableEndpoints.size() > MAX_ENDPOINTS_PER_ROOT) {
        throw new IllegalArgumentException("a root may have at most " + MAX_ENDPOINTS_PER_ROOT + " endpoints");
      }
    }
  }

  public World {
    if (updatesMustBeSignedBy.length != KEY_LENGTH) {
      throw new IllegalArgumentException("updatesMustBeSignedBy must be 64 bytes");
    }
    if (signature.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("signature must be 96 bytes");
    }
    if (roots.size() > MAX_ROOTS) {
      throw new IllegalArgumentException("a world may have at most " + MAX_ROOTS + " roots, got " + roots.size());
    }
    if (dictionary.length > 0xffff) {
      throw new IllegalArgumentException("moon dictionary too long");
    }
    updatesMustBeSignedBy = updatesMustBeSignedBy.clone();
    signature = signature.clone();
    roots = List.copyOf(roots);
    dictionary = dictionary.clone();
  }

  @Override
  public byte[] updatesMustBeSignedBy() {
    return updatesMustBeSignedBy.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public byte[] dictionary() {
    return dictionary.clone();
  }

  // ------------------------------------------------------------------------------------------ creation

  /**
   * Creates and signs a world (like libzt's {@code zts_util_sign_root_set} / ZeroTier's {@code mkworld}).
   *
   * @param updatesMustBeSignedBy the public key embedded for the next revision (often {@code signer.publicKey()})
   * @param signer the key pair whose public half was embedded in the revision being replaced (or, for a brand-new
   *     world, normally the same key as {@code updatesMustBeSignedBy})
   */
  public static World sign(
      Type type, long id, long timestamp, byte[] updatesMustBeSignedBy, List<Root> roots, WorldSigningKey signer) {
    World unsigned =
        new World(type, id, timestamp, updatesMustBeSignedBy, new byte[SIGNATURE_LENGTH], roots, new byte[0]);
    return new World(type, id, timestamp, updatesMustBeSignedBy, signer.sign(unsigned.signedMessage()), roots,
        new byte[0]);
  }

  // ------------------------------------------------------------------------------------------ verification

  /** True if the signature verifies against this world's own {@code updatesMustBeSignedBy} key. */
  public boolean verifySelfSigned() {
    return verifySignedBy(updatesMustBeSignedBy);
  }

  /** True if the signature verifies against the 64-byte public key. */
  public boolean verifySignedBy(byte[] publicKey64) {
    if (publicKey64.length != KEY_LENGTH) {
      return false;
    }
    byte[] msg = signedMessage();
    return C25519.verify(publicKey64, msg, 0, msg.length, signature, 0, signature.length);
  }

  /**
   * The update rule of spec 5.2: a stored world is replaced by a candidate iff there is none, or the candidate has
   * the same ID and type, a newer timestamp, and a signature by the stored world's {@code updatesMustBeSignedBy}.
   * A pure function: the caller decides where candidates may come from (upstreams and moon seeds only).
   */
  public static boolean shouldReplace(@Nullable World current, World candidate) {
    if (current == null) {
      return true;
    }
    return candidate.id == current.id
        && candidate.type == current.type
        && candidate.timestamp > current.timestamp
        && candidate.verifySignedBy(current.updatesMustBeSignedBy);
  }

  // ------------------------------------------------------------------------------------------ encoding

  /** The serialized world (file and wire form). */
  public byte[] serialize() {
    byte[] b = new byte[encodedLength(true)];
    WireWriter w = new WireWriter(b, 0);
    writeTo(w, true);
    return b;
  }

  /** The exact bytes covered by the signature. */
  public byte[] signedMessage() {
    byte[] b = new byte[encodedLength(false) + 16];
    WireWriter w = new WireWriter(b, 0);
    for (int i = 0; i < 8; i++) {
      w.u8(0x7f);
    }
    writeTo(w, false);
    for (int i = 0; i < 8; i++) {
      w.u8(0xf7);
    }
    return b;
  }

  private int encodedLength(boolean withSignature) {
    int n = 1 + 8 + 8 + KEY_LENGTH + (withSignature ? SIGNATURE_LENGTH : 0) + 1;
    for (Root r : roots) {
      n += Identity.BINARY_PUBLIC_LENGTH + 1;
      for (InetSocketAddress e : r.stableEndpoints()) {
        n += InetAddresses.encodedLength(e);
      }
    }
    if (type == Type.MOON) {
      n += 2 + dictionary.length;
    }
    return n;
  }

  /** Writes the serialized world at the writer's position. */
  public void writeTo(WireWriter w) {
    writeTo(w, true);
  }

  private void writeTo(WireWriter w, boolean withSignature) {
    w.u8(type.code()).u64(id).u64(timestamp).bytes(updatesMustBeSignedBy);
    if (withSignature) {
      w.bytes(signature);
    }
    w.u8(roots.size());
    for (Root r : roots) {
      w.position(w.position() + r.identity().writeBinary(w.array(), w.position(), false));
      w.u8(r.stableEndpoints().size());
      for (InetSocketAddress e : r.stableEndpoints()) {
        InetAddresses.write(w, e);
      }
    }
    if (type == Type.MOON) {
      w.u16(dictionary.length).bytes(dictionary);
    }
  }

  /**
   * Parses exactly one serialized world occupying the whole array (a planet file or {@code .moon} file).
   *
   * @throws IllegalArgumentException naming the problem if malformed
   */
  public static World parse(byte[] b) {
    WireReader r = new WireReader(b, 0, b.length);
    StringBuilder why = new StringBuilder();
    World w = read(r, why);
    if (w == null) {
      throw new IllegalArgumentException("invalid world: " + why);
    }
    if (r.remaining() != 0) {
      throw new IllegalArgumentException("invalid world: " + r.remaining() + " trailing bytes");
    }
    return w;
  }

  /**
   * Reads one world at the reader's position (as in OK(HELLO) world updates). Never throws: returns null if
   * malformed (the reader's position is then unspecified).
   */
  public static @Nullable World read(WireReader r) {
    return read(r, null);
  }

  /** All worlds in a concatenation (OK(HELLO) updates); null if any is malformed. Never throws. */
  public static @Nullable List<World> readAll(byte[] b, int off, int len) {
    WireReader r = new WireReader(b, off, len);
    List<World> out = new ArrayList<>();
    while (r.remaining() > 0) {
      World w = read(r, null);
      if (w == null) {
        return null;
      }
      out.add(w);
    }
    return out;
  }

  private static @Nullable World read(WireReader r, @Nullable StringBuilder why) {
    // The reader throws on truncation; each step names what it was reading (as parse() reports it).
    String step = "type must be 1 (planet) or 127 (moon)";
    try {
      Type type = r.remaining() > 0 ? Type.of(r.u8()) : null;
      if (type == null) {
        return fail(why, step);
      }
      step = "truncated header";
      long id = r.u64();
      long ts = r.u64();
      byte[] key = r.bytes(KEY_LENGTH);
      byte[] sig = r.bytes(SIGNATURE_LENGTH);
      int rootCount = r.u8();
      if (rootCount > MAX_ROOTS) {
        return fail(why, "too many roots: " + rootCount);
      }
      List<Root> roots = new ArrayList<>(rootCount);
      for (int i = 0; i < rootCount; i++) {
        step = "truncated or malformed identity of root " + i;
        Identity identity = r.identity();
        int endpointCount = r.u8();
        if (endpointCount > MAX_ENDPOINTS_PER_ROOT) {
          return fail(why, "too many endpoints for root " + i + ": " + endpointCount);
        }
        List<InetSocketAddress> endpoints = new ArrayList<>(endpointCount);
        for (int j = 0; j < endpointCount; j++) {
          step = "malformed endpoint " + j + " of root " + i;
          InetSocketAddress e = InetAddresses.read(r);
          if (e != null) {
            endpoints.add(e);
          }
        }
        roots.add(new Root(identity, endpoints));
      }
      byte[] dict = new byte[0];
      if (type == Type.MOON) {
        step = "truncated moon dictionary";
        dict = r.bytes(r.u16());
      }
      return new World(type, id, ts, key, sig, roots, dict);
    } catch (WireFormatException e) {
      return fail(why, step);
    }
  }

  private static @Nullable World fail(@Nullable StringBuilder why, String reason) {
    if (why != null) {
      why.append(reason);
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------ default planet

  /** The planet compiled into ZeroTier One 1.12–1.14 (spec 5.3), from this library's resources. */
  public static World defaultPlanet() {
    return parse(defaultPlanetBytes());
  }

  /** The 570 bytes of the default planet. */
  public static byte[] defaultPlanetBytes() {
    try (InputStream in = World.class.getResourceAsStream("/dev/ztjvm/vl1/default-planet.bin")) {
      if (in == null) {
        throw new IllegalStateException("default planet resource missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof World w && Arrays.equals(w.serialize(), serialize());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serialize());
  }

  @Override
  public String toString() {
    return "World[" + type + " " + Long.toUnsignedString(id, 16) + " ts=" + timestamp + " roots=" + roots.size()
        + "]";
  }
}
