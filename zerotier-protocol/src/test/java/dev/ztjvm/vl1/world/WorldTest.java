package dev.ztjvm.vl1.world;

import static dev.ztjvm.testing.SharedData.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.InetAddresses;
import dev.ztjvm.vl1.WireReader;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WorldTest {

  static final JsonNode PLANET_JSON = SharedData.vectorJson("default-planet.json");
  static final JsonNode MOON_JSON = SharedData.vectorJson("moon-example.json");

  @Test
  void defaultPlanetResourceParsesVerifiesAndReserializesIdentically() {
    byte[] bytes = World.defaultPlanetBytes();
    assertThat(bytes).isEqualTo(SharedData.bytes(SharedData.vector("default-planet.bin")));
    World w = World.defaultPlanet();
    assertThat(w.type()).isEqualTo(World.Type.PLANET);
    assertThat(w.id()).isEqualTo(PLANET_JSON.get("world_id").asLong()).isEqualTo(World.DEFAULT_PLANET_ID);
    assertThat(w.timestamp()).isEqualTo(PLANET_JSON.get("timestamp_ms").asLong());
    assertThat(hex(w.updatesMustBeSignedBy())).isEqualTo(PLANET_JSON.get("updates_must_be_signed_by").asString());
    assertThat(hex(w.signature())).isEqualTo(PLANET_JSON.get("signature").asString());
    assertThat(hex(w.signedMessage())).isEqualTo(PLANET_JSON.get("signed_message").asString());
    assertThat(w.verifySelfSigned()).isTrue();
    assertThat(w.serialize()).isEqualTo(bytes);
    assertRoots(w, PLANET_JSON.get("roots"), "identity_public");
    for (World.Root r : w.roots()) {
      assertThat(r.identity().locallyValidate()).isTrue();
    }
  }

  private static void assertRoots(World w, JsonNode roots, String identityField) {
    assertThat(w.roots()).hasSize(roots.size());
    for (int i = 0; i < roots.size(); i++) {
      World.Root r = w.roots().get(i);
      assertThat(r.identity().toPublicString()).isEqualTo(roots.get(i).get(identityField).asString());
      List<String> eps = new ArrayList<>();
      for (InetSocketAddress e : r.stableEndpoints()) {
        eps.add(InetAddresses.toEndpointString(e));
      }
      List<String> expected = new ArrayList<>();
      roots.get(i).get("stable_endpoints").forEach(n -> expected.add(n.asString()));
      assertThat(eps).isEqualTo(expected);
    }
  }

  @Test
  void moonExampleParsesVerifiesReserializesAndIsReproducedBySigning() {
    byte[] bytes = hex(MOON_JSON.get("serialized").asString());
    World w = World.parse(bytes);
    assertThat(w.type()).isEqualTo(World.Type.MOON);
    assertThat(w.id()).isEqualTo(Long.parseUnsignedLong(MOON_JSON.get("world_id").asString(), 16));
    assertThat(w.timestamp()).isEqualTo(MOON_JSON.get("timestamp_ms").asLong());
    assertThat(hex(w.signedMessage())).isEqualTo(MOON_JSON.get("signed_message").asString());
    assertThat(w.verifySelfSigned()).isTrue();
    assertThat(w.serialize()).isEqualTo(bytes);
    assertRoots(w, MOON_JSON.get("roots"), "identity");

    // Ed25519 is deterministic, so signing the same content with the same key reproduces the bytes exactly.
    WorldSigningKey key = WorldSigningKey.fromBytes(
        hex(MOON_JSON.get("signing_key_public").asString() + MOON_JSON.get("signing_key_secret").asString()));
    World again = World.sign(World.Type.MOON, w.id(), w.timestamp(), key.publicKey(), w.roots(), key);
    assertThat(again.serialize()).isEqualTo(bytes);
  }

  @Test
  void capturedPrivatePlanetParsesVerifiesAndIsReproducedWithItsSigningKey() {
    byte[] bytes = SharedData.bytes(SharedData.capture("planet/planet"));
    World w = World.parse(bytes);
    assertThat(w.id()).isEqualTo(0x7a744c4142000001L);
    assertThat(w.timestamp()).isEqualTo(1795539375903L);
    assertThat(w.roots()).hasSize(1);
    assertThat(w.roots().get(0).identity().addressString()).isEqualTo("caf324c426");
    assertThat(w.roots().get(0).stableEndpoints())
        .containsExactly(InetAddresses.parseEndpoint("127.0.0.1/19993"));
    assertThat(w.verifySelfSigned()).isTrue();
    assertThat(w.serialize()).isEqualTo(bytes);
    WorldSigningKey key = WorldSigningKey.fromBytes(
        SharedData.bytes(SharedData.capture("planet/world-signing-key.current.c25519")));
    assertThat(key.publicKey()).isEqualTo(w.updatesMustBeSignedBy());
    assertThat(World.sign(World.Type.PLANET, w.id(), w.timestamp(), key.publicKey(), w.roots(), key).serialize())
        .isEqualTo(bytes);
  }

  @Test
  void everyTamperedByteIsRejected() {
    byte[] bytes = World.defaultPlanetBytes();
    for (int i = 0; i < bytes.length; i++) {
      byte[] t = bytes.clone();
      t[i] ^= 0x01;
      World w;
      try {
        w = World.parse(t);
      } catch (IllegalArgumentException e) {
        continue; // structurally invalid is also a rejection
      }
      // Changing updatesMustBeSignedBy makes self-verification fail too, and the update rule checks the stored key.
      assertThat(w.verifySelfSigned()).as("byte %d", i).isFalse();
      assertThat(World.shouldReplace(World.defaultPlanet(), withTimestamp(w, w.timestamp() + 1))).isFalse();
    }
  }

  private static World withTimestamp(World w, long ts) {
    return new World(w.type(), w.id(), ts, w.updatesMustBeSignedBy(), w.signature(), w.roots(), w.dictionary());
  }

  @Test
  void truncatedAndMalformedWorldsThrowClearErrors() {
    byte[] bytes = World.defaultPlanetBytes();
    for (int n = 0; n < bytes.length; n += 7) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThatThrownBy(() -> World.parse(cut)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid world");
    }
    byte[] badType = bytes.clone();
    badType[0] = 2;
    assertThatThrownBy(() -> World.parse(badType)).hasMessageContaining("type");
    byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> World.parse(trailing)).hasMessageContaining("trailing");
    assertThat(World.read(new WireReader(badType, 0, badType.length))).isNull();
  }

  @Test
  void updateRules() {
    SecureRandom rnd = new SecureRandom();
    WorldSigningKey k1 = WorldSigningKey.generate(rnd);
    WorldSigningKey k2 = WorldSigningKey.generate(rnd);
    List<World.Root> roots = World.defaultPlanet().roots().subList(0, 2);
    World v1 = World.sign(World.Type.PLANET, 77, 1000, k1.publicKey(), roots, k1);
    assertThat(v1.verifySelfSigned()).isTrue();
    assertThat(World.shouldReplace(null, v1)).isTrue();

    // newer, signed by the key embedded in v1, embedding a rotated key: accepted
    World v2 = World.sign(World.Type.PLANET, 77, 2000, k2.publicKey(), roots, k1);
    assertThat(World.shouldReplace(v1, v2)).isTrue();
    assertThat(v2.verifySelfSigned()).isFalse();
    // after the rotation only k2 may sign
    assertThat(World.shouldReplace(v2, World.sign(World.Type.PLANET, 77, 3000, k2.publicKey(), roots, k1))).isFalse();
    assertThat(World.shouldReplace(v2, World.sign(World.Type.PLANET, 77, 3000, k2.publicKey(), roots, k2))).isTrue();
    // same or older timestamp: refused
    assertThat(World.shouldReplace(v1, World.sign(World.Type.PLANET, 77, 1000, k1.publicKey(), roots, k1))).isFalse();
    assertThat(World.shouldReplace(v1, World.sign(World.Type.PLANET, 77, 999, k1.publicKey(), roots, k1))).isFalse();
    // other ID or type: refused
    assertThat(World.shouldReplace(v1, World.sign(World.Type.PLANET, 78, 2000, k1.publicKey(), roots, k1))).isFalse();
    assertThat(World.shouldReplace(v1, World.sign(World.Type.MOON, 77, 2000, k1.publicKey(), roots, k1))).isFalse();
    // a custom planet is not superseded by the default one (different ID)
    assertThat(World.shouldReplace(v1, World.defaultPlanet())).isFalse();
  }

  @Test
  void readAllSplitsConcatenatedUpdates() {
    byte[] planet = World.defaultPlanetBytes();
    byte[] moon = hex(MOON_JSON.get("serialized").asString());
    byte[] both = new byte[planet.length + moon.length];
    System.arraycopy(planet, 0, both, 0, planet.length);
    System.arraycopy(moon, 0, both, planet.length, moon.length);
    List<World> ws = World.readAll(both, 0, both.length);
    assertThat(ws).extracting(World::type).containsExactly(World.Type.PLANET, World.Type.MOON);
    assertThat(World.readAll(both, 0, both.length - 1)).isNull();
    assertThat(World.readAll(both, 0, 0)).isEmpty();
  }

  @Test
  void signingKeyRoundTripAndMismatchRejected() {
    WorldSigningKey k = WorldSigningKey.generate(new SecureRandom());
    assertThat(WorldSigningKey.fromBytes(k.toBytes()).publicKey()).isEqualTo(k.publicKey());
    byte[] bad = k.toBytes();
    bad[0] ^= 1;
    assertThatThrownBy(() -> WorldSigningKey.fromBytes(bad)).hasMessageContaining("does not match");
    assertThatThrownBy(() -> WorldSigningKey.fromBytes(new byte[64])).hasMessageContaining("128");
    Identity unused = Identity.parse(MOON_JSON.get("roots").get(0).get("identity").asString());
    assertThat(unused.address()).isEqualTo(0x4f3f5c640aL);
  }
}
