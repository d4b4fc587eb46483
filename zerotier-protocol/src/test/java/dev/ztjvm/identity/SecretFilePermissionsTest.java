package dev.ztjvm.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ztjvm.testing.LoopbackPlanet;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 7: an existing identity.secret that other users may read is restricted to its owner when read, with
 * a warning that names the file and the permissions it had but never the key; an owner-only file is left alone.
 */
class SecretFilePermissionsTest {

  @TempDir Path dir;
  final List<LogRecord> logged = new ArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  @Test
  void worldReadableSecretIsRestrictedWithAWarning() throws Exception {
    Identity id = LoopbackPlanet.labIdentity("member1");
    Path secret = dir.resolve(IdentityStore.SECRET_FILE);
    Files.writeString(secret, id.toSecretString());
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    Logger log = Logger.getLogger(IdentityStore.class.getName());
    log.addHandler(capture);
    try {
      Identity loaded = new IdentityStore(dir).load().orElseThrow();
      assertThat(loaded).isEqualTo(id);
    } finally {
      log.removeHandler(capture);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    assertThat(logged).hasSize(1);
    String message = logged.get(0).getMessage();
    assertThat(message).contains(secret.toString()).contains("rw-r--r--").contains("rw-------");
    String privateHex = id.toSecretString().substring(id.toSecretString().lastIndexOf(':') + 1);
    assertThat(message).doesNotContain(privateHex);
  }

  @Test
  void ownerOnlySecretIsLeftAlone() throws Exception {
    Identity id = LoopbackPlanet.labIdentity("member2");
    Path secret = dir.resolve("custom.secret");
    IdentityStore.writeSecretFile(secret, id);
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("r--------"));
    Logger log = Logger.getLogger(IdentityStore.class.getName());
    log.addHandler(capture);
    try {
      assertThat(IdentityStore.readSecretFile(secret)).isEqualTo(id);
    } finally {
      log.removeHandler(capture);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("r--------");
    assertThat(logged).isEmpty();
  }
}
