package dev.ztjvm.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A freshly generated identity is valid, round-trips through every form and the store, and interoperates. */
class IdentityGenerationTest {

  @TempDir Path dir;

  @Test
  void generatedIdentityRoundTripsAndValidates() throws IOException {
    Identity id = Identity.generate();
    assertThat(id.hasSecret()).isTrue();
    assertThat(Address.isReserved(id.address())).isFalse();
    assertThat(id.invalidReason()).isNull();
    byte[] digest = id.memoryHardDigest();
    assertThat(digest[0] & 0xff).isLessThan(17);
    assertThat(Address.read(digest, 59)).isEqualTo(id.address());

    Identity fromSecret = Identity.parse(id.toSecretString());
    assertThat(fromSecret.toSecretString()).isEqualTo(id.toSecretString());
    assertThat(Identity.parse(id.toPublicString())).isEqualTo(id);
    assertThat(Identity.readBinary(id.toBinary(true), 0).toSecretString()).isEqualTo(id.toSecretString());
    assertThat(Identity.readBinary(id.toBinary(false), 0).hasSecret()).isFalse();

    IdentityStore store = new IdentityStore(dir);
    store.save(id);
    Identity loaded = new IdentityStore(dir).load().orElseThrow();
    assertThat(loaded.toSecretString()).isEqualTo(id.toSecretString());

    // tampering with the stored file is detected
    String s = Files.readString(store.secretFile(), StandardCharsets.US_ASCII);
    char last = s.charAt(60);
    Files.writeString(store.secretFile(), s.substring(0, 60) + (last == 'a' ? 'b' : 'a') + s.substring(61));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(store::load))
        .isInstanceOf(InvalidIdentityFileException.class);

    // it can talk to a known identity
    Identity a = Identity.parse(SharedData.vectorJson("identities.json").get("A").get("secret_string").asString());
    SymmetricKey k = id.agree(a.publicOnly());
    assertThat(a.agree(id.publicOnly())).isEqualTo(k);
    byte[] msg = "generated".getBytes(StandardCharsets.US_ASCII);
    assertThat(id.publicOnly().verify(msg, id.sign(msg))).isTrue();
    byte[] pkt = new byte[64];
    Address.write(a.address(), pkt, 8);
    Address.write(id.address(), pkt, 13);
    pkt[27] = 8;
    byte[] copy = pkt.clone();
    PacketArmor armor = new PacketArmor();
    armor.armor(pkt, 0, pkt.length, k, PacketArmor.SUITE_AES_GMAC_SIV);
    assertThat(armor.dearmor(pkt, 0, pkt.length, a.agree(id.publicOnly()))).isTrue();
    assertThat(pkt[27]).isEqualTo(copy[27]);
  }

  @Test
  void singleThreadedSearchAlsoWorks() {
    Identity id = Identity.generate(new SecureRandom(), 1);
    assertThat(id.locallyValidate()).isTrue();
  }

  @Test
  void loadOrGenerateCreatesOnceThenReloads() throws IOException {
    IdentityStore store = new IdentityStore(dir.resolve("node"));
    Identity first = store.loadOrGenerate();
    Identity second = store.loadOrGenerate();
    assertThat(second.toSecretString()).isEqualTo(first.toSecretString());
    assertThat(Files.readString(store.publicFile())).isEqualTo(first.toPublicString());
  }
}
