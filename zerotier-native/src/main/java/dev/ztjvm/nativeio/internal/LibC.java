package dev.ztjvm.nativeio.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Direct JNA mapping of the few libc calls the TAP binding needs. Direct mapping (static natives registered once)
 * avoids the reflection and argument boxing of interface mapping, which matters because {@code read}, {@code write}
 * and {@code poll} run once per frame.
 *
 * <p>Only 64-bit Linux is supported (checked by {@link NativePlatform#unsupportedReason()} before this class is first
 * touched), so
 * {@code size_t}/{@code ssize_t} are mapped to {@code long}. Calls that are not per frame declare {@link LastErrorException}:
 * JNA clears errno before the call and throws with it when the call fails.
 */
public final class LibC {

  // fcntl.h (generic Linux values, identical on x86-64, aarch64 and riscv64)
  public static final int O_RDWR = 0x2;
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;

  // sys/eventfd.h
  public static final int EFD_NONBLOCK = O_NONBLOCK;
  public static final int EFD_CLOEXEC = O_CLOEXEC;

  // poll.h
  public static final short POLLIN = 0x1;
  public static final short POLLERR = 0x8;
  public static final short POLLHUP = 0x10;
  public static final short POLLNVAL = 0x20;

  // sys/socket.h
  public static final int AF_INET = 2;
  public static final int SOCK_DGRAM = 2;

  // errno.h
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int ENXIO = 6;
  public static final int EAGAIN = 11;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ENOBUFS = 105;

  private LibC() {}

  static {
    Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
  }

  public static native int open(String path, int flags) throws LastErrorException;

  public static native int close(int fd) throws LastErrorException;

  public static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

  /**
   * Per-frame calls do not throw: a drained queue (EAGAIN) is routine, and an exception for it would cost a stack
   * trace. On -1 the caller reads errno with {@link com.sun.jna.Native#getLastError()}.
   */
  public static native long read(int fd, Pointer buf, long count);

  /** As {@link #read}: -1 and errno in {@link com.sun.jna.Native#getLastError()} on failure. */
  public static native long write(int fd, Pointer buf, long count);

  public static native int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;

  public static native int eventfd(int initialValue, int flags) throws LastErrorException;

  public static native int socket(int domain, int type, int protocol) throws LastErrorException;
}
