package dev.ztjvm.nativeio.internal;

import com.sun.jna.Platform;
import org.jspecify.annotations.Nullable;

/** Whether this JVM runs where the libc mapping's constants and types are right; kept apart so asking never loads libc. */
public final class NativePlatform {

  private NativePlatform() {}

  /** Null when the platform is supported, otherwise the reason it is not. */
  public static @Nullable String unsupportedReason() {
    if (!Platform.isLinux()) {
      return "TUN/TAP is bound for Linux only; this is " + System.getProperty("os.name");
    }
    if (!Platform.is64Bit()) {
      return "TUN/TAP binding needs a 64-bit JVM; this is " + System.getProperty("os.arch");
    }
    String arch = Platform.ARCH;
    if (!arch.equals("x86-64") && !arch.equals("aarch64") && !arch.equals("riscv64")) {
      // Other Linux architectures (ppc, mips, sparc) number ioctls and open flags differently.
      return "TUN/TAP binding supports Linux on x86-64, aarch64 and riscv64; this is " + arch;
    }
    return null;
  }
}
