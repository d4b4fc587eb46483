package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zerotier-tools identity ...}: exit codes and output. */
class IdentityCommandTest extends ToolCommandTest {

  /** A real zerotier-one identity directory from the shared captures. */
  private static final Path MEMBER1 = Path.of(System.getProperty("zt.shared.dir", "../shared"))
      .resolve("zt-captures/identities/member1");

  @TempDir Path dir;

  @Test
  void generateWritesValidFilesAndPrintsTheAddress() throws IOException {
    Path secret = dir.resolve("identity.secret");
    Path pub = dir.resolve("identity.public");
    assertThat(run("identity", "generate", secret.toString(), pub.toString())).isEqualTo(0);
    Identity id = IdentityStore.readSecretFile(secret);
    assertThat(out.strip()).isEqualTo(id.addressString()).matches("[0-9a-f]{10}");
    assertThat(Files.readString(pub)).isEqualTo(id.toPublicString());
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    }
    String before = Files.readString(secret);
    // never overwrites
    assertThat(run("identity", "generate", secret.toString())).isEqualTo(1);
    assertThat(err).contains("already exists");
    assertThat(Files.readString(secret)).isEqualTo(before);

    assertThat(run("identity", "validate", secret.toString())).isEqualTo(0);
    assertThat(out).contains(id.addressString());
    assertThat(run("identity", "public", secret.toString())).isEqualTo(0);
    assertThat(out.strip()).isEqualTo(id.toPublicString());
  }

  @Test
  void generateWithoutPublicFile() throws IOException {
    Path secret = dir.resolve("only.secret");
    assertThat(run("identity", "generate", secret.toString())).isEqualTo(0);
    assertThat(IdentityStore.readSecretFile(secret).addressString()).isEqualTo(out.strip());
    try (var s = Files.list(dir)) {
      assertThat(s.count()).isEqualTo(1);
    }
  }

  @Test
  void generateCreatesTheDirectoriesOfANodeHome() throws IOException {
    Path secret = dir.resolve("cli/identity.secret");
    assertThat(run("identity", "generate", secret.toString(), dir.resolve("cli/identity.public").toString()))
        .as(err).isEqualTo(0);
    assertThat(new dev.ztjvm.identity.IdentityStore(dir.resolve("cli")).load()).get()
        .extracting(dev.ztjvm.identity.Identity::addressString).isEqualTo(out.strip());
  }

  @Test
  void validateZeroTierOneFilesAndRejectTamperedOnes() throws IOException {
    assertThat(run("identity", "validate", MEMBER1.resolve("identity.secret").toString())).isEqualTo(0);
    assertThat(run("identity", "validate", MEMBER1.resolve("identity.public").toString())).isEqualTo(0);

    String s = Files.readString(MEMBER1.resolve("identity.secret"), StandardCharsets.US_ASCII).strip();
    Path bad = dir.resolve("bad.secret");
    char first = s.charAt(9);
    Files.writeString(bad, s.substring(0, 9) + (first == '0' ? '1' : '0') + s.substring(10));
    assertThat(run("identity", "validate", bad.toString())).isEqualTo(1);
    assertThat(err).contains("bad.secret").contains("does not match");

    Files.writeString(bad, "not an identity");
    assertThat(run("identity", "validate", bad.toString())).isEqualTo(1);
    assertThat(err).contains("not a ZeroTier identity");

    assertThat(run("identity", "validate", dir.resolve("missing").toString())).isEqualTo(1);
    assertThat(err).contains("missing");
  }

  @Test
  void publicOfZeroTierOneSecretMatchesItsPublicFile() throws IOException {
    assertThat(run("identity", "public", MEMBER1.resolve("identity.secret").toString())).isEqualTo(0);
    assertThat(out.strip()).isEqualTo(Files.readString(MEMBER1.resolve("identity.public")).strip());
  }

  @Test
  void signAndVerify() throws IOException {
    Path msg = dir.resolve("message.txt");
    Files.writeString(msg, "hello zerotier");
    Path secret = MEMBER1.resolve("identity.secret");
    Path pub = MEMBER1.resolve("identity.public");
    assertThat(run("identity", "sign", secret.toString(), msg.toString())).isEqualTo(0);
    String sig = out.strip();
    assertThat(sig).matches("[0-9a-f]{192}");
    Identity id = IdentityStore.readSecretFile(secret);
    assertThat(sig).isEqualTo(HexFormat.of().formatHex(id.sign(Files.readAllBytes(msg))));

    assertThat(run("identity", "verify", pub.toString(), msg.toString(), sig)).isEqualTo(0);
    assertThat(run("identity", "verify", secret.toString(), msg.toString(), sig)).isEqualTo(0);

    char c = sig.charAt(10);
    String tampered = sig.substring(0, 10) + (c == 'a' ? 'b' : 'a') + sig.substring(11);
    assertThat(run("identity", "verify", pub.toString(), msg.toString(), tampered)).isEqualTo(1);
    assertThat(err).contains("invalid");
    Files.writeString(msg, "hello zerotier!");
    assertThat(run("identity", "verify", pub.toString(), msg.toString(), sig)).isEqualTo(1);
    assertThat(run("identity", "verify", pub.toString(), msg.toString(), sig.substring(2))).isEqualTo(1);

    // signing needs the private key
    assertThat(run("identity", "sign", pub.toString(), msg.toString())).isEqualTo(1);
    assertThat(err).contains("no private key");
  }

  @Test
  void badArgumentsPrintUsageAndExit2() {
    assertThat(run("identity")).isEqualTo(2);
    assertThat(err).contains("Usage");
    assertThat(run("identity", "generate")).isEqualTo(2);
    assertThat(err).contains("Usage");
    assertThat(run("identity", "validate")).isEqualTo(2);
    assertThat(run("identity", "validate", "a", "b")).isEqualTo(2);
    assertThat(run("identity", "sign", "only-one")).isEqualTo(2);
    assertThat(run("identity", "verify", "a", "b")).isEqualTo(2);
    assertThat(run("identity", "verify", MEMBER1.resolve("identity.public").toString(),
        MEMBER1.resolve("identity.public").toString(), "zz-not-hex")).isEqualTo(2);
    assertThat(err).contains("Usage");
    assertThat(run("identity", "frobnicate")).isEqualTo(2);
  }
}
