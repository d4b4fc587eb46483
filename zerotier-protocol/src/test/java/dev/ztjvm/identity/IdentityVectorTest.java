package dev.ztjvm.identity;

import static dev.ztjvm.testing.SharedData.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/** {@code identities.json} and the five captured identity directories. */
class IdentityVectorTest {

  private static final JsonNode V = SharedData.vectorJson("identities.json");

  @Test
  void knownGoodValidatesWithItsDigest() {
    JsonNode g = V.get("known_good");
    Identity id = Identity.parse(g.get("secret_string").asString());
    assertThat(id.locallyValidate()).isTrue();
    assertThat(hex(id.memoryHardDigest())).isEqualTo(g.get("memory_hard_digest").asString());
    assertThat(id.toSecretString()).isEqualTo(g.get("secret_string").asString());
    assertThat(id.toPublicString()).isEqualTo(g.get("public_string").asString());
    Identity pub = Identity.parse(g.get("public_string").asString());
    assertThat(pub.hasSecret()).isFalse();
    assertThat(pub.locallyValidate()).isTrue();
    assertThat(pub).isEqualTo(id);
  }

  @Test
  void knownBadParsesButDoesNotValidate() {
    JsonNode b = V.get("known_bad");
    assertThat(b.get("must_validate").asBoolean()).isFalse();
    Identity id = Identity.parse(b.get("secret_string").asString());
    assertThat(id.locallyValidate()).isFalse();
    assertThat(id.invalidReason()).contains("does not match");
    assertThat(Identity.parse(b.get("public_string").asString()).locallyValidate()).isFalse();
  }

  @Test
  void freshIdentitiesValidateAndMatchTheirDigestsAndForms() {
    for (String name : new String[] {"A", "B"}) {
      JsonNode e = V.get(name);
      Identity id = Identity.parse(e.get("secret_string").asString());
      assertThat(id.locallyValidate()).as(name).isTrue();
      assertThat(hex(id.memoryHardDigest())).as(name).isEqualTo(e.get("memory_hard_digest").asString());
      assertThat(id.toPublicString()).isEqualTo(e.get("public_string").asString());
      assertThat(id.toSecretString()).isEqualTo(e.get("secret_string").asString());
    }
  }

  @Test
  void binaryFormsOfA() {
    JsonNode a = V.get("A");
    Identity id = Identity.parse(a.get("secret_string").asString());
    assertThat(hex(id.toBinary(false))).isEqualTo(a.get("binary_public").asString());
    assertThat(hex(id.toBinary(true))).isEqualTo(a.get("binary_with_secret").asString());

    byte[] pub = hex(a.get("binary_public").asString());
    assertThat(Identity.binaryLength(pub, 0)).isEqualTo(71);
    Identity back = Identity.readBinary(pub, 0);
    assertThat(back.hasSecret()).isFalse();
    assertThat(back.toPublicString()).isEqualTo(a.get("public_string").asString());

    byte[] sec = hex(a.get("binary_with_secret").asString());
    assertThat(Identity.binaryLength(sec, 0)).isEqualTo(135);
    assertThat(Identity.readBinary(sec, 0).toSecretString()).isEqualTo(a.get("secret_string").asString());
  }

  @Test
  void identityHashOfB() {
    JsonNode b = V.get("B");
    Identity id = Identity.parse(b.get("public_string").asString());
    assertThat(hex(id.sha384AddressAndPublicKey())).isEqualTo(b.get("sha384_address_and_public_key").asString());
  }

  @TestFactory
  List<DynamicTest> capturedIdentityDirectoriesParseAndValidate() throws IOException {
    Path root = SharedData.capture("identities");
    List<Path> dirs;
    try (Stream<Path> s = Files.list(root)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(dirs).hasSize(5);
    List<DynamicTest> tests = new ArrayList<>();
    for (Path dir : dirs) {
      tests.add(DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
        String secretText = Files.readString(dir.resolve("identity.secret"), StandardCharsets.US_ASCII);
        String publicText = Files.readString(dir.resolve("identity.public"), StandardCharsets.US_ASCII);
        Identity secret = Identity.parse(secretText);
        Identity pub = Identity.parse(publicText);
        assertThat(secret.hasSecret()).isTrue();
        assertThat(secret.locallyValidate()).isTrue();
        assertThat(pub.locallyValidate()).isTrue();
        assertThat(pub).isEqualTo(secret);
        assertThat(secret.toSecretString()).isEqualTo(secretText.strip());
        assertThat(pub.toPublicString()).isEqualTo(publicText.strip());
      }));
    }
    return tests;
  }

  @Test
  void malformedStringsAreRejectedWithAReason() {
    String good = V.get("A").get("secret_string").asString();
    String pub = V.get("A").get("public_string").asString();
    assertThatThrownBy(() -> Identity.parse("")).hasMessageContaining("fields");
    assertThatThrownBy(() -> Identity.parse(pub.replaceFirst(":0:", ":1:"))).hasMessageContaining("type");
    assertThatThrownBy(() -> Identity.parse("0000000000" + pub.substring(10))).hasMessageContaining("reserved");
    assertThatThrownBy(() -> Identity.parse("ff00000001" + pub.substring(10))).hasMessageContaining("reserved");
    assertThatThrownBy(() -> Identity.parse(pub.substring(0, 140))).hasMessageContaining("128 hex");
    assertThatThrownBy(() -> Identity.parse(good + ":00")).hasMessageContaining("fields");
    assertThatThrownBy(() -> Identity.parse(pub.substring(0, 139) + "zz")).hasMessageContaining("not hex");
    assertThatThrownBy(() -> Identity.parse("4f3f5c64:0:" + pub.substring(13))).hasMessageContaining("10 hex");
  }

  @Test
  void malformedBinaryIsRejected() {
    byte[] sec = hex(V.get("A").get("binary_with_secret").asString());
    assertThatThrownBy(() -> Identity.readBinary(java.util.Arrays.copyOf(sec, 70), 0))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> Identity.readBinary(java.util.Arrays.copyOf(sec, 134), 0))
        .hasMessageContaining("truncated");
    byte[] badType = sec.clone();
    badType[5] = 1;
    assertThatThrownBy(() -> Identity.readBinary(badType, 0)).hasMessageContaining("type");
    byte[] badLen = sec.clone();
    badLen[70] = 32;
    assertThatThrownBy(() -> Identity.readBinary(badLen, 0)).hasMessageContaining("private key length");
  }
}
