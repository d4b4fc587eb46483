package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.vl1.InetAddresses;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code planet create}, {@code planet show} and {@code decode} through {@link ZeroTierTool#execute}. */
class PlanetAndDecodeCommandTest extends ToolCommandTest {

  static final Path SHARED = Path.of(System.getProperty("zt.shared.dir", "../shared"));
  static final Path CAPTURES = SHARED.resolve("zt-captures");

  @TempDir Path dir;

  @Test
  void createSignsAPlanetWithANewOwnerOnlyKeyAndShowPrintsIt() throws IOException {
    Path key = dir.resolve("world.c25519");
    Path planet = dir.resolve("planet");
    Path root = CAPTURES.resolve("identities/root/identity.public");
    Path ctl = CAPTURES.resolve("identities/controller/identity.public");
    int code = run("planet", "create", "--id", "0x7a744c4142000002", "--root", root + "=127.0.0.1/19993",
        "--root", ctl + "=127.0.0.1/19994,::1/19994", "--signing-key", key.toString(), "--out", planet.toString(),
        "--timestamp", "1800000000000");
    assertThat(code).as(err).isZero();
    assertThat(out).contains("7a744c4142000002");
    assertThat(Files.size(key)).isEqualTo(128);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

    World w = World.parse(Files.readAllBytes(planet));
    WorldSigningKey k = WorldSigningKey.fromBytes(Files.readAllBytes(key));
    assertThat(w.type()).isEqualTo(World.Type.PLANET);
    assertThat(w.id()).isEqualTo(0x7a744c4142000002L);
    assertThat(w.timestamp()).isEqualTo(1800000000000L);
    assertThat(w.updatesMustBeSignedBy()).isEqualTo(k.publicKey());
    assertThat(w.verifySelfSigned()).isTrue();
    assertThat(w.roots()).extracting(r -> r.identity().addressString()).containsExactly("caf324c426", "ea7ca3b1d7");
    assertThat(w.roots().get(1).stableEndpoints()).containsExactly(
        InetAddresses.parseEndpoint("127.0.0.1/19994"), InetAddresses.parseEndpoint("::1/19994"));

    // a second revision reuses the existing key, so it is an acceptable update of the first
    Path planet2 = dir.resolve("planet2");
    assertThat(run("planet", "create", "--id", "8823761413089525762", "--root", root + "=127.0.0.1/19993",
        "--signing-key", key.toString(), "--out", planet2.toString(), "--timestamp", "1800000000001")).isZero();
    assertThat(World.shouldReplace(w, World.parse(Files.readAllBytes(planet2)))).isTrue();

    assertThat(run("planet", "show", planet.toString())).as(err).isZero();
    assertThat(out).contains("\"type\": \"planet\"", "\"id\": \"7a744c4142000002\"", "\"timestamp\": 1800000000000",
        "\"selfSigned\": true", "\"address\": \"ea7ca3b1d7\"", "\"127.0.0.1/19994\"", "\"::1/19994\"");
  }

  @Test
  void showPrintsTheCapturedPrivatePlanet() {
    assertThat(run("planet", "show", CAPTURES.resolve("planet/planet").toString())).as(err).isZero();
    assertThat(out).startsWith("{").contains("\"id\": \"7a744c4142000001\"", "\"timestamp\": 1795539375903",
        "\"address\": \"caf324c426\"", "\"stableEndpoints\": [\n        \"127.0.0.1/19993\"\n      ]",
        "\"selfSigned\": true", "\"length\": 257");
  }

  @Test
  void showRejectsATamperedFileWithExit1() throws IOException {
    byte[] b = Files.readAllBytes(CAPTURES.resolve("planet/planet"));
    Path f = dir.resolve("bad");
    Files.write(f, java.util.Arrays.copyOf(b, 200));
    assertThat(run("planet", "show", f.toString())).isEqualTo(1);
    assertThat(err).contains("invalid world");
    b[100] ^= 1;
    Files.write(f, b);
    assertThat(run("planet", "show", f.toString())).isZero();
    assertThat(out).contains("\"selfSigned\": false");
  }

  @Test
  void createRejectsBadRootsAndIds() {
    Path key = dir.resolve("k");
    Path root = CAPTURES.resolve("identities/root/identity.public");
    assertThat(run("planet", "create", "--id", "xyz", "--root", root + "=127.0.0.1/1", "--signing-key",
        key.toString(), "--out", dir.resolve("p").toString())).isEqualTo(1);
    assertThat(err).contains("bad world ID");
    assertThat(run("planet", "create", "--id", "5", "--root", root + "=example.com/1", "--signing-key",
        key.toString(), "--out", dir.resolve("p").toString())).isEqualTo(1);
    assertThat(err).contains("not an IP address literal");
    assertThat(run("planet", "create", "--id", "5", "--root", "127.0.0.1/1", "--signing-key", key.toString(),
        "--out", dir.resolve("p").toString())).isEqualTo(2);
    assertThat(run("planet", "create", "--id", "5")).isEqualTo(2);
  }

  @Test
  void decodeAuthenticatesEveryPacketOfEveryCapture() throws IOException {
    List<Path> pcaps;
    try (Stream<Path> s = Files.list(CAPTURES.resolve("pcap"))) {
      pcaps = s.filter(p -> p.toString().endsWith(".lo.pcap")).sorted().toList();
    }
    assertThat(pcaps).hasSize(5);
    int total = 0;
    for (Path pcap : pcaps) {
      assertThat(run("decode", pcap.toString(), "--identities", CAPTURES.resolve("identities").toString()))
          .as(err).isZero();
      String[] lines = out.split("\n");
      String summary = lines[lines.length - 1];
      int n = lines.length - 1;
      assertThat(summary).isEqualTo("packets=" + n + " authenticated=" + n + " failed=0");
      total += n;
    }
    assertThat(total).isEqualTo(740);
  }

  @Test
  void decodeLinesNameSourceDestinationCipherVerbAndStatus() {
    assertThat(run("decode", CAPTURES.resolve("pcap/00-stock-loopback-rejected.lo.pcap").toString(),
        "--identities", CAPTURES.resolve("identities").toString())).isZero();
    String[] lines = out.split("\n");
    assertThat(lines).hasSize(13);
    assertThat(lines[0]).startsWith("frame 1 c28cfc86ce -> caf324c426 ").contains(" cipher 0 HELLO ")
        .endsWith(" authenticated");
    assertThat(lines[1]).startsWith("frame 2 caf324c426 -> c28cfc86ce ").contains(" cipher 1 OK(HELLO) ");
    assertThat(lines[12]).isEqualTo("packets=12 authenticated=12 failed=0");
  }

  @Test
  void decodeWithoutIdentitiesAuthenticatesNothing() throws IOException {
    Files.createDirectories(dir.resolve("empty"));
    assertThat(run("decode", CAPTURES.resolve("pcap/00-stock-loopback-rejected.lo.pcap").toString(),
        "--identities", dir.resolve("empty").toString())).isZero();
    assertThat(out).endsWith("packets=12 authenticated=0 failed=0\n").contains("unknown-key");
    assertThat(run("decode", dir.resolve("missing.pcap").toString(), "--identities", dir.toString())).isEqualTo(1);
  }
}
