package dev.ztjvm.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.testing.NeedsRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save on a full disk fails cleanly: the record keeps its bytes and no (0-byte) temporary file is left. Runs {@link
 * DiskFullProbe} in a private mount namespace on a 256 KiB tmpfs (root only; the mount is invisible outside it).
 */
@NeedsRoot("a tmpfs in a private mount namespace")
class DiskFullTest {

  @TempDir Path dir;

  @Test
  void aSaveOnAFullDiskLeavesTheRecordAndNoTemporaryFile() throws Exception {
    assertThat(Path.of("/usr/bin/unshare")).as("unshare (Debian package util-linux)").isExecutable();
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Path mnt = dir.resolve("small");
    Files.createDirectories(mnt);
    String script = "mount -t tmpfs -o size=256k tmpfs \"$1\" && exec \"$2\" -cp \"$3\" \"$4\" \"$1\"";
    Process p = new ProcessBuilder("/usr/bin/unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
        mnt.toString(), javaBin.toString(), System.getProperty("java.class.path"), DiskFullProbe.class.getName())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("save refused: ").contains("No space left on device").contains("OK");
  }
}
