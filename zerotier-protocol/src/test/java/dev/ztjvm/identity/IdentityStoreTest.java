package dev.ztjvm.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {

  private static final Identity A =
      Identity.parse(SharedData.vectorJson("identities.json").get("A").get("secret_string").asString());
  private static final Identity B =
      Identity.parse(SharedData.vectorJson("identities.json").get("B").get("secret_string").asString());

  @TempDir Path dir;

  @Test
  void emptyDirectoryLoadsNothing() throws IOException {
    assertThat(new IdentityStore(dir.resolve("missing")).load()).isEmpty();
    assertThat(new IdentityStore(dir).load()).isEmpty();
  }

  @Test
  void saveWritesZeroTierCompatibleFilesWithOwnerOnlySecret() throws IOException {
    IdentityStore store = new IdentityStore(dir.resolve("home"));
    store.save(A);
    String secret = Files.readString(store.secretFile(), StandardCharsets.US_ASCII);
    String pub = Files.readString(store.publicFile(), StandardCharsets.US_ASCII);
    assertThat(secret).isEqualTo(A.toSecretString()).hasSize(270);
    assertThat(pub).isEqualTo(A.toPublicString()).hasSize(141);
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.secretFile())))
          .isEqualTo("rw-------");
    }
    try (Stream<Path> s = Files.list(store.directory())) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("identity.secret",
          "identity.public");
    }
    Identity back = store.load().orElseThrow();
    assertThat(back).isEqualTo(A);
    assertThat(back.toSecretString()).isEqualTo(A.toSecretString());
    // saving the same identity again is a no-op, not an error
    store.save(A);
    assertThat(Files.readString(store.secretFile())).isEqualTo(A.toSecretString());
  }

  @Test
  void readsZeroTierOneFilesFromTheCaptures() throws IOException {
    Path src = SharedData.capture("identities").resolve("member1");
    Files.copy(src.resolve("identity.secret"), dir.resolve("identity.secret"));
    Files.copy(src.resolve("identity.public"), dir.resolve("identity.public"));
    Identity id = new IdentityStore(dir).load().orElseThrow();
    assertThat(id.hasSecret()).isTrue();
    assertThat(id.toPublicString()).isEqualTo(Files.readString(src.resolve("identity.public")).strip());
  }

  @Test
  void refusesToReplaceADifferentIdentity() throws IOException {
    IdentityStore store = new IdentityStore(dir);
    store.save(A);
    assertThatThrownBy(() -> store.save(B))
        .isInstanceOf(InvalidIdentityFileException.class)
        .hasMessageContaining("identity.secret").hasMessageContaining("refusing");
    assertThat(Files.readString(store.secretFile())).isEqualTo(A.toSecretString());
  }

  @Test
  void corruptSecretFileFailsNamingTheFileAndIsNeverOverwritten() throws IOException {
    IdentityStore store = new IdentityStore(dir);
    String corrupt = A.toSecretString().substring(0, 200);
    Files.writeString(store.secretFile(), corrupt);
    assertThatThrownBy(store::load).isInstanceOf(InvalidIdentityFileException.class)
        .hasMessageContaining(store.secretFile().toString());
    assertThatThrownBy(store::loadOrGenerate).isInstanceOf(InvalidIdentityFileException.class);
    assertThatThrownBy(() -> store.save(B)).isInstanceOf(InvalidIdentityFileException.class);
    assertThat(Files.readString(store.secretFile())).isEqualTo(corrupt);
    assertThat(Files.exists(store.publicFile())).isFalse();
  }

  @Test
  void tamperedAddressOrKeysAreRejected() throws IOException {
    IdentityStore store = new IdentityStore(dir);
    String s = A.toSecretString();
    // address changed: parses, fails the proof of work
    String badAddress = "4f3f5c640b" + s.substring(10);
    Files.writeString(store.secretFile(), badAddress);
    assertThatThrownBy(store::load).isInstanceOf(InvalidIdentityFileException.class)
        .hasMessageContaining("identity.secret").hasMessageContaining("does not match the public key");
    // private key from another identity: the public key no longer derives from it
    Files.writeString(store.secretFile(), A.toPublicString() + B.toSecretString().substring(141));
    assertThatThrownBy(store::load).hasMessageContaining("private key does not match");
    // a public key byte flipped
    char c = s.charAt(20);
    Files.writeString(store.secretFile(), s.substring(0, 20) + (c == '0' ? '1' : '0') + s.substring(21));
    assertThatThrownBy(store::load).isInstanceOf(InvalidIdentityFileException.class);
    // a secret file that holds only the public form
    Files.writeString(store.secretFile(), A.toPublicString());
    assertThatThrownBy(store::load).hasMessageContaining("no private key");
    for (String content : new String[] {badAddress, A.toPublicString()}) {
      Files.writeString(store.secretFile(), content);
      assertThatThrownBy(() -> store.save(A)).isInstanceOf(InvalidIdentityFileException.class);
      assertThat(Files.readString(store.secretFile())).isEqualTo(content);
    }
  }

  @Test
  void publicFileMustMatchSecretFile() throws IOException {
    IdentityStore store = new IdentityStore(dir);
    IdentityStore.writeSecretFile(store.secretFile(), A);
    IdentityStore.writePublicFile(store.publicFile(), B);
    assertThatThrownBy(store::load).isInstanceOf(InvalidIdentityFileException.class)
        .hasMessageContaining("identity.public").hasMessageContaining("does not match");
    assertThatThrownBy(store::loadOrGenerate).isInstanceOf(InvalidIdentityFileException.class);
    assertThat(Files.readString(store.publicFile())).isEqualTo(B.toPublicString());
  }

  @Test
  void publicFileWithoutSecretIsNotSilentlyReplaced() throws IOException {
    IdentityStore store = new IdentityStore(dir);
    IdentityStore.writePublicFile(store.publicFile(), B);
    assertThatThrownBy(store::loadOrGenerate).isInstanceOf(InvalidIdentityFileException.class)
        .hasMessageContaining("identity.public");
    assertThat(Files.exists(store.secretFile())).isFalse();
  }

  @Test
  void loadOrGenerateRecreatesAMissingPublicFile() throws IOException {
    IdentityStore store = new IdentityStore(dir);
    IdentityStore.writeSecretFile(store.secretFile(), A);
    assertThat(store.loadOrGenerate()).isEqualTo(A);
    assertThat(Files.readString(store.publicFile())).isEqualTo(A.toPublicString());
  }

  @Test
  void exceptionMessagesNeverContainThePrivateKey() throws IOException {
    IdentityStore store = new IdentityStore(dir);
    String s = A.toSecretString();
    String privateHex = s.substring(142);
    for (String content : new String[] {"4f3f5c640b" + s.substring(10), s.replace(":0:", ":1:"), s + ":x",
        A.toPublicString() + B.toSecretString().substring(141)}) {
      Files.writeString(store.secretFile(), content);
      assertThatThrownBy(store::load).isInstanceOf(InvalidIdentityFileException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(privateHex)
              .doesNotContain(B.toSecretString().substring(142)));
    }
  }
}
