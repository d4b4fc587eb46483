/**
 * Test support for running code against Linux: a network namespace with a TAP interface of ours in it
 * ({@link dev.ztjvm.nativeio.testing.NetnsFixture}), a small program run inside it with the kernel's own TCP/UDP
 * ({@link dev.ztjvm.nativeio.testing.LinuxSidePeer}), and hand-built frames ({@link dev.ztjvm.nativeio.testing.Frames}).
 */
@NullMarked
package dev.ztjvm.nativeio.testing;

import org.jspecify.annotations.NullMarked;
