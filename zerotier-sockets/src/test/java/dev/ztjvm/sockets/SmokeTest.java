package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.testing.SharedData;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void sharedTestDataIsVisible() {
    assertThat(SharedData.vectorJson("crypto-primitives.json").get("salsa20").size()).isPositive();
  }
}
