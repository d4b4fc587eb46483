package dev.ztjvm.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Native;
import dev.ztjvm.nativeio.testing.NetnsFixture;
import dev.ztjvm.testing.NeedsRoot;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The TAP binding on its own (needs root, as CI has): creation, interface settings through ioctl, the read/wakeup/
 * close protocol between threads, and the error messages when something is missing. Frames flowing to and from
 * Linux are shown by {@link TapFrameInteropTest}.
 */
@NeedsRoot("TAP device in a network namespace")
class TapDeviceTest {

  private static TapDevice openOrFail(String name) {
    try {
      return TapDevice.open(name);
    } catch (IOException e) {
      throw new AssertionError(NetnsFixture.REQUIREMENTS + " Cause: " + e.getMessage(), e);
    }
  }

  @Test
  void createsAnInterfaceAndConfiguresItThroughIoctl() throws IOException {
    try (TapDevice tap = openOrFail("")) {
      // An empty name lets the kernel choose from its tap%d template.
      assertThat(tap.name()).matches("tap\\d+");
      assertThat(tap.isUp()).isFalse();

      tap.setMtu(2800);
      assertThat(tap.mtu()).isEqualTo(2800);

      byte[] mac = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
      tap.setHardwareAddress(mac);
      assertThat(tap.hardwareAddress()).containsExactly(mac);

      tap.setUp(true);
      assertThat(tap.isUp()).isTrue();
      // The kernel view agrees with ours.
      String shown = run("ip", "link", "show", "dev", tap.name());
      assertThat(shown).contains("mtu 2800").contains("02:11:22:33:44:55").contains(",UP");
      tap.setUp(false);
      assertThat(tap.isUp()).isFalse();
    }
  }

  @Test
  void closingTheDescriptorRemovesTheInterface() throws Exception {
    String name = "ztttest" + ProcessHandle.current().pid() % 100000;
    TapDevice tap = openOrFail(name);
    assertThat(run("ip", "link", "show", "dev", name)).contains(name);
    tap.close();
    tap.close(); // idempotent
    assertThat(tap.isClosed()).isTrue();
    assertThat(runStatus("ip", "link", "show", "dev", name)).isNotZero();
  }

  @Test
  void aSecondOwnerOfTheSameNameIsRefusedWithAReason() throws IOException {
    String name = "zttbusy" + ProcessHandle.current().pid() % 100000;
    try (TapDevice first = openOrFail(name)) {
      assertThatThrownBy(() -> TapDevice.open(first.name()))
          .isInstanceOf(TapUnavailableException.class)
          .hasMessageContaining(name)
          .hasMessageContaining("in use");
    }
  }

  @Test
  void readWaitsUntilTimeoutWakeupOrClose() throws Exception {
    TapDevice tap = openOrFail("");
    byte[] buf = new byte[TapDevice.MAX_FRAME];
    // Link down: nothing arrives, so reads end by timeout.
    assertThat(tap.read(buf, 0, buf.length, 0)).isZero();
    assertThat(tap.read(buf, 0, buf.length, 20)).isZero();

    // A wakeup posted before the read is not lost: the next read returns at once.
    tap.wakeup();
    assertThat(tap.read(buf, 0, buf.length, -1)).isZero();

    CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> readUnchecked(tap, buf));
    Thread.sleep(50);
    assertThat(blocked).isNotDone();
    tap.wakeup();
    assertThat(blocked.get(30, TimeUnit.SECONDS)).isZero();

    CompletableFuture<Integer> blockedUntilClose = CompletableFuture.supplyAsync(() -> readUnchecked(tap, buf));
    Thread.sleep(50);
    tap.close();
    assertThat(blockedUntilClose.get(30, TimeUnit.SECONDS)).isEqualTo(-1);
    assertThat(tap.read(buf, 0, buf.length, -1)).isEqualTo(-1);
    assertThatThrownBy(() -> tap.write(new byte[60], 0, 60)).isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
    tap.wakeup(); // harmless after close
  }

  @Test
  void writesToADownLinkCountAsDropsNotErrors() throws IOException {
    try (TapDevice tap = openOrFail("")) {
      byte[] frame = new byte[60];
      for (int i = 0; i < 6; i++) {
        frame[i] = (byte) 0xff;
      }
      frame[6] = 0x02;
      frame[12] = 0x08; // IPv4 ethertype, body zero: Linux would drop it, but it never gets that far
      assertThat(tap.write(frame, 0, frame.length)).isFalse();
      assertThat(tap.statistics().writeDrops()).isEqualTo(1);
      assertThat(tap.statistics().framesWritten()).isZero();
    }
  }

  @Test
  void rejectsMalformedArguments() throws IOException {
    assertThatThrownBy(() -> TapDevice.open("a-name-much-too-long")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 15");
    assertThatThrownBy(() -> TapDevice.open("a/b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TapDevice.open("a b")).isInstanceOf(IllegalArgumentException.class);
    try (TapDevice tap = openOrFail("")) {
      assertThatThrownBy(() -> tap.write(new byte[10], 0, 10)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> tap.setMtu(20)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> tap.setHardwareAddress(new byte[] {1, 2, 3, 4, 5, 6}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unicast");
    }
  }

  /**
   * Runs {@link OpenAndReport} in a child JVM whose capability set lacks CAP_NET_ADMIN (util-linux {@code setpriv}),
   * as an unprivileged user would be: the failure must say what is needed.
   */
  @Test
  void withoutCapNetAdminTheMessageSaysWhatIsNeeded() throws Exception {
    String cp = String.join(":", location(TapDevice.class), location(Native.class), location(OpenAndReport.class));
    List<String> cmd = List.of("setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
        OpenAndReport.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("TapUnavailableException").contains("needs root or CAP_NET_ADMIN");
  }

  /**
   * Runs {@link OpenAndReport} in a child JVM with a private mount namespace whose {@code /dev/net} is an empty
   * tmpfs (util-linux {@code unshare}, private propagation: the host keeps its device), as on a system without the
   * tun module: the failure must say how to get the device.
   */
  @Test
  void withoutDevNetTunTheMessageSaysHowToGetIt() throws Exception {
    String cp = String.join(":", location(TapDevice.class), location(Native.class), location(OpenAndReport.class));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount -t tmpfs none /dev/net && exec \"$0\" -cp \"$1\" \"$2\"", java, cp, OpenAndReport.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("TapUnavailableException").contains("/dev/net/tun does not exist")
        .contains("modprobe tun");
  }

  /** Child-JVM entry point for the tests that take something away from a child process. */
  static final class OpenAndReport {
    public static void main(String[] args) {
      try (TapDevice tap = TapDevice.open("")) {
        System.out.println("OPENED " + tap.name());
      } catch (IOException e) {
        System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
  }

  private static int readUnchecked(TapDevice tap, byte[] buf) {
    try {
      return tap.read(buf, 0, buf.length, -1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static String run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private static int runStatus(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }
}
