package dev.ztjvm.crypto;

import static dev.ztjvm.testing.SharedData.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.testing.SharedData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/** All 32 sets of {@code c25519.json}: derivation, agreement both ways, signatures reproduced and verified. */
class C25519VectorTest {

  @TestFactory
  List<DynamicTest> everyVectorSet() {
    JsonNode vectors = SharedData.vectorJson("c25519.json").get("vectors");
    assertThat(vectors.size()).isEqualTo(32);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      JsonNode v = vectors.get(i);
      tests.add(DynamicTest.dynamicTest("set " + i, () -> check(v)));
    }
    return tests;
  }

  private static void check(JsonNode v) {
    byte[] pub1 = hex(v.get("pub1").asString());
    byte[] priv1 = hex(v.get("priv1").asString());
    byte[] pub2 = hex(v.get("pub2").asString());
    byte[] priv2 = hex(v.get("priv2").asString());
    byte[] agreement = hex(v.get("agreement").asString());
    byte[] sig1 = hex(v.get("agreementSignedBy1").asString());
    byte[] sig2 = hex(v.get("agreementSignedBy2").asString());

    assertThat(C25519.derivePublic(priv1)).isEqualTo(pub1);
    assertThat(C25519.derivePublic(priv2)).isEqualTo(pub2);

    assertThat(C25519.agree64(priv1, pub2)).isEqualTo(agreement);
    assertThat(C25519.agree64(priv2, pub1)).isEqualTo(agreement);
    assertThat(C25519.agree(priv1, pub2)).isEqualTo(Arrays.copyOf(agreement, 48));
    assertThat(C25519.agree(priv2, pub1)).isEqualTo(Arrays.copyOf(agreement, 48));

    assertThat(C25519.sign(priv1, pub1, agreement, 0, agreement.length)).isEqualTo(sig1);
    assertThat(C25519.sign(priv2, pub2, agreement, 0, agreement.length)).isEqualTo(sig2);
    assertThat(C25519.verify(pub1, agreement, 0, agreement.length, sig1, 0, sig1.length)).isTrue();
    assertThat(C25519.verify(pub2, agreement, 0, agreement.length, sig2, 0, sig2.length)).isTrue();
    // a signature by one key does not verify under the other
    assertThat(C25519.verify(pub2, agreement, 0, agreement.length, sig1, 0, sig1.length)).isFalse();
    byte[] bad = sig1.clone();
    bad[5] ^= 1;
    assertThat(C25519.verify(pub1, agreement, 0, agreement.length, bad, 0, bad.length)).isFalse();
  }
}
