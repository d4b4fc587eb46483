/**
 * Native integrations of the JVM ZeroTier node, bound with JNA: the one place in the project that calls native
 * code. Today it holds Linux TUN/TAP devices ({@link dev.ztjvm.nativeio.TapDevice}), used to attach the userspace
 * netstack to a kernel interface (interop tests) and by the optional OS-interface mode
 * ({@link dev.ztjvm.nativeio.LinuxTapInterface}), where a joined network appears to the host as a real network
 * interface.
 *
 * <p>Everything else in the project is pure Java; this module is optional at run time.
 */
@NullMarked
package dev.ztjvm.nativeio;

import org.jspecify.annotations.NullMarked;
