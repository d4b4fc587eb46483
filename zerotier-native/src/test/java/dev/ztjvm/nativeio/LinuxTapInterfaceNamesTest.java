package dev.ztjvm.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Interface names, MAC bytes and multicast parsing of {@link LinuxTapInterface}; no root needed. */
class LinuxTapInterfaceNamesTest {

  @Test
  void derivedNamesAreValidStableAndDistinctPerNetworkAndNode() {
    long seed = 20261125L;
    Random r = new Random(seed);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      long nwid = r.nextLong();
      long mac = r.nextLong() & 0xFEFF_FFFF_FFFFL;
      String name = LinuxTapInterface.defaultName(nwid, mac);
      assertThat(name).as("seed %d case %d", seed, i).matches("zt[0-9a-v]{8}");
      assertThat(LinuxTapInterface.defaultName(nwid, mac)).isEqualTo(name);
      assertThat(seen.add(name)).as("collision at seed %d case %d", seed, i).isTrue();
      assertThat(LinuxTapInterface.defaultName(nwid, mac ^ 1)).isNotEqualTo(name);
    }
  }

  @Test
  void macBytesAreBigEndian() {
    assertThat(LinuxTapInterface.macBytes(0x32_9a_4b_01_02_03L))
        .containsExactly(0x32, 0x9a, 0x4b, 0x01, 0x02, 0x03);
  }

  @Test
  void multicastGroupsAreTheLinkLinesOfIpMaddrWithoutBroadcastOrUnicast() {
    String out = """
        7:\tzt3f1c9a02
        \tlink  33:33:00:00:00:01 users 2
        \tlink  01:00:5e:00:00:01
        \tlink  33:33:ff:cc:dd:ee
        \tlink  ff:ff:ff:ff:ff:ff
        \tlink  02:00:00:00:00:01
        \tinet  224.0.0.1
        \tinet6 ff02::1
        """;
    assertThat(LinuxTapInterface.linkGroups(out))
        .containsExactlyInAnyOrder(0x3333_0000_0001L, 0x0100_5e00_0001L, 0x3333_ffcc_ddeeL);
  }

  @Test
  void optionsAreCheckedAtOnce() {
    assertThatThrownBy(() -> LinuxTapInterface.builder().interfaceName("this-name-is-too-long"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interfaceName");
    assertThatThrownBy(() -> LinuxTapInterface.builder().namespace("a/b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
  }
}
