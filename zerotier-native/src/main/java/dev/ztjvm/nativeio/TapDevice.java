package dev.ztjvm.nativeio;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.ztjvm.nativeio.internal.IfReq;
import dev.ztjvm.nativeio.internal.LibC;
import dev.ztjvm.nativeio.internal.NativePlatform;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Linux TAP interface owned by this JVM: whole Ethernet frames in and out of the kernel through a file
 * descriptor on {@code /dev/net/tun} ({@code IFF_TAP | IFF_NO_PI}, no packet-information prefix, no offloads, so
 * the kernel hands over plain frames with complete checksums, each at most MTU + 14 bytes).
 *
 * <p>The interface is not persistent: it disappears when the device is {@linkplain #close() closed} or the JVM
 * exits, even after it was moved into another network namespace (the descriptor keeps working there). Creating it
 * needs root or {@code CAP_NET_ADMIN}; see {@link TapUnavailableException}.
 *
 * <p>Threads: {@link #read} from one thread at a time and {@link #write} from one thread at a time (they may be two
 * different threads, e.g. a reader loop and a stack loop); {@link #wakeup()}, {@link #close()} and
 * {@link #statistics()} from any thread. A blocked {@code read} returns when {@code wakeup()} or {@code close()} is
 * called, so a reader thread stops cleanly. The interface settings ({@link #setMtu}, {@link #setUp},
 * {@link #setHardwareAddress}, ...) use {@code ioctl} on a socket of the JVM's own network namespace, so they work
 * while the interface is still there; after moving it elsewhere, configure it there (for example with
 * {@code ip netns exec}).
 */
public final class TapDevice implements AutoCloseable {

  /** Largest frame the kernel can hand over: MTU 65535 plus the Ethernet header and one VLAN tag. */
  public static final int MAX_FRAME = 65535 + 14 + 4;

  private static final String TUN_PATH = "/dev/net/tun";
  private static final int CLOSED = 1 << 30;

  private final String name;
  private final int tapFd;
  private final int wakeFd;
  /** Users of the descriptors (low bits) plus the CLOSED flag; the last user out after close frees them. */
  private final AtomicInteger state = new AtomicInteger();

  // Reader-owned native memory: the frame buffer, two struct pollfd and the eventfd counter scratch.
  private final Memory readBuffer = new Memory(MAX_FRAME);
  private final Memory pollFds = new Memory(16);
  private final Memory wakeScratch = new Memory(8);
  // Writer-owned frame buffer.
  private final Memory writeBuffer = new Memory(MAX_FRAME);
  /** The constant 1 that wakeup() adds to the eventfd; never written after construction, so shared by all threads. */
  private final Memory wakeIncrement = new Memory(8);

  private long framesRead;
  private long bytesRead;
  private long readDropsTooLarge;
  private long framesWritten;
  private long bytesWritten;
  private long writeDrops;

  private TapDevice(String name, int tapFd, int wakeFd) {
    this.name = name;
    this.tapFd = tapFd;
    this.wakeFd = wakeFd;
    wakeIncrement.setLong(0, 1L);
    pollFds.clear();
    pollFds.setInt(0, tapFd);
    pollFds.setShort(4, LibC.POLLIN);
    pollFds.setInt(8, wakeFd);
    pollFds.setShort(12, LibC.POLLIN);
  }

  /** Creates a TAP interface with a kernel-chosen name ({@code tap0}, {@code tap1}, ...). */
  public static TapDevice open() throws IOException {
    return open("");
  }

  /**
   * Creates a TAP interface.
   *
   * @param requestedName at most 15 ASCII characters, no {@code /} or blanks; may contain one {@code %d} for the
   *     kernel to fill in; empty lets the kernel choose
   * @throws TapUnavailableException when this platform, the kernel or the privileges do not allow it (the message
   *     says what is needed)
   * @throws IllegalArgumentException for a malformed name
   */
  public static TapDevice open(String requestedName) throws IOException {
    validateName(requestedName);
    String unsupported = NativePlatform.unsupportedReason();
    if (unsupported != null) {
      throw new TapUnavailableException(unsupported);
    }
    int fd;
    try {
      fd = LibC.open(TUN_PATH, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
      throw new TapUnavailableException(
          "JNA cannot bind libc on this system (" + e.getMessage() + "); the TAP binding needs JNA's native "
              + "dispatch library for " + System.getProperty("os.arch"),
          e);
    } catch (LastErrorException e) {
      throw new TapUnavailableException(openFailure(e.getErrorCode()), e);
    }
    try {
      IfReq req = new IfReq(requestedName);
      req.flags((short) (IfReq.IFF_TAP | IfReq.IFF_NO_PI));
      try {
        LibC.ioctl(fd, IfReq.TUNSETIFF, req.memory());
      } catch (LastErrorException e) {
        throw new TapUnavailableException(createFailure(e.getErrorCode(), requestedName), e);
      }
      int wake;
      try {
        wake = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
      } catch (LastErrorException e) {
        throw new IOException("eventfd failed: " + e.getMessage(), e);
      }
      return new TapDevice(req.name(), fd, wake);
    } catch (IOException | RuntimeException e) {
      closeQuietly(fd);
      throw e;
    }
  }

  /** The interface name the kernel gave it (the requested one, or the chosen one). */
  public String name() {
    return name;
  }

  /**
   * Reads one whole Ethernet frame.
   *
   * @param timeoutMillis how long to wait for a frame: negative waits without limit, 0 does not wait
   * @return the frame length (&gt; 0) with the frame at {@code buf[off, off + length)}; 0 when the time passed
   *     or {@link #wakeup()} was called; -1 once the device is closed
   * @throws IOException when the kernel reports an error on the descriptor
   */
  public int read(byte[] buf, int off, int len, int timeoutMillis) throws IOException {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (!acquire()) {
      return -1;
    }
    try {
      long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
      while (true) {
        // Try the read first: under load a frame is usually queued, which saves a poll() per frame.
        long n = LibC.read(tapFd, readBuffer, MAX_FRAME);
        if (n > 0) {
          if (n > len) {
            readDropsTooLarge++;
            continue;
          }
          readBuffer.read(0, buf, off, (int) n);
          framesRead++;
          bytesRead += n;
          return (int) n;
        }
        if (n == 0) {
          throw new IOException("TAP " + name + ": end of file on the device descriptor");
        }
        int errno = Native.getLastError();
        if (errno != LibC.EAGAIN && errno != LibC.EINTR) {
          throw new IOException("TAP " + name + ": read failed, errno " + errno);
        }
        int waitMillis;
        if (timeoutMillis < 0) {
          waitMillis = -1;
        } else if (timeoutMillis == 0) {
          return 0;
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return 0;
          }
          waitMillis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
        }
        pollFds.setShort(6, (short) 0);
        pollFds.setShort(14, (short) 0);
        int ready;
        try {
          ready = LibC.poll(pollFds, 2, waitMillis);
        } catch (LastErrorException e) {
          if (e.getErrorCode() == LibC.EINTR) {
            continue;
          }
          throw new IOException("TAP " + name + ": poll failed: " + e.getMessage(), e);
        }
        if (ready == 0) {
          if (timeoutMillis > 0 && deadline - System.nanoTime() <= 0) {
            return 0;
          }
          continue;
        }
        short wakeEvents = pollFds.getShort(14);
        if (wakeEvents != 0) {
          drainWakeups();
          return (state.get() & CLOSED) != 0 ? -1 : 0;
        }
        short tapEvents = pollFds.getShort(6);
        if ((tapEvents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
          throw new IOException("TAP " + name + ": descriptor reports poll events 0x" + Integer.toHexString(tapEvents));
        }
      }
    } finally {
      release();
    }
  }

  /**
   * Hands one Ethernet frame to the kernel, as if it arrived on the interface's wire. Never blocks.
   *
   * @return {@code false} when the kernel dropped it (interface down, queue full), which callers treat as loss
   * @throws IOException when the device is closed or the kernel rejects the frame as malformed
   * @throws IllegalArgumentException when {@code len} is shorter than an Ethernet header or longer than
   *     {@link #MAX_FRAME}
   */
  public boolean write(byte[] buf, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len < 14 || len > MAX_FRAME) {
      throw new IllegalArgumentException("Ethernet frame length out of range 14.." + MAX_FRAME + ": " + len);
    }
    if (!acquire()) {
      throw new IOException("TAP " + name + " is closed");
    }
    try {
      writeBuffer.write(0, buf, off, len);
      long n = LibC.write(tapFd, writeBuffer, len);
      if (n == len) {
        framesWritten++;
        bytesWritten += len;
        return true;
      }
      if (n >= 0) {
        throw new IOException("TAP " + name + ": short write " + n + " of " + len);
      }
      int errno = Native.getLastError();
      if (errno == LibC.EAGAIN || errno == LibC.EINTR || errno == LibC.EIO /* interface down */
          || errno == LibC.ENOBUFS) {
        writeDrops++;
        return false;
      }
      throw new IOException("TAP " + name + ": write of " + len + " bytes failed, errno " + errno);
    } finally {
      release();
    }
  }

  /** Makes the {@link #read} in progress (or the next one) return 0 now. Any thread; cheap; never blocks. */
  public void wakeup() {
    if (!acquire()) {
      return;
    }
    try {
      signalWake();
    } finally {
      release();
    }
  }

  /** Counters since creation. */
  public TapStatistics statistics() {
    return new TapStatistics(framesRead, bytesRead, framesWritten, bytesWritten, readDropsTooLarge, writeDrops);
  }

  /** Sets the interface MTU (the largest IP packet; frames are up to MTU + 14 bytes). */
  public void setMtu(int mtu) throws IOException {
    if (mtu < 68 || mtu > 65535) {
      throw new IllegalArgumentException("MTU out of range 68..65535: " + mtu);
    }
    IfReq req = new IfReq(name);
    req.mtu(mtu);
    interfaceIoctl(IfReq.SIOCSIFMTU, req, "set MTU " + mtu);
  }

  /** The interface MTU. */
  public int mtu() throws IOException {
    IfReq req = new IfReq(name);
    interfaceIoctl(IfReq.SIOCGIFMTU, req, "read MTU");
    return req.mtu();
  }

  /** Brings the link up or down (the {@code IFF_UP} flag, as {@code ip link set dev NAME up}). */
  public void setUp(boolean up) throws IOException {
    IfReq req = new IfReq(name);
    interfaceIoctl(IfReq.SIOCGIFFLAGS, req, "read flags");
    short flags = req.flags();
    req.flags((short) (up ? flags | IfReq.IFF_UP : flags & ~IfReq.IFF_UP));
    interfaceIoctl(IfReq.SIOCSIFFLAGS, req, up ? "bring the link up" : "bring the link down");
  }

  /** Whether the link is up. */
  public boolean isUp() throws IOException {
    IfReq req = new IfReq(name);
    interfaceIoctl(IfReq.SIOCGIFFLAGS, req, "read flags");
    return (req.flags() & IfReq.IFF_UP) != 0;
  }

  /** The kernel side's MAC address (the address Linux uses as source on this interface). */
  public byte[] hardwareAddress() throws IOException {
    IfReq req = new IfReq(name);
    interfaceIoctl(IfReq.SIOCGIFHWADDR, req, "read the MAC address");
    return req.hardwareAddress();
  }

  /** Sets the kernel side's MAC address (a unicast address; the link must be down on most kernels). */
  public void setHardwareAddress(byte[] mac) throws IOException {
    if (mac.length != 6 || (mac[0] & 1) != 0) {
      throw new IllegalArgumentException("not a 6-byte unicast MAC address");
    }
    IfReq req = new IfReq(name);
    req.hardwareAddress(mac);
    interfaceIoctl(IfReq.SIOCSIFHWADDR, req, "set the MAC address");
  }

  /**
   * Closes the descriptor, which removes the interface. A {@link #read} blocked in another thread returns -1.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!acquire()) {
      return;
    }
    while (true) {
      int s = state.get();
      if ((s & CLOSED) != 0) {
        release();
        return;
      }
      if (state.compareAndSet(s, s | CLOSED)) {
        break;
      }
    }
    signalWake();
    release();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return (state.get() & CLOSED) != 0;
  }

  @Override
  public String toString() {
    return "TapDevice[" + name + (isClosed() ? ", closed]" : "]");
  }

  private boolean acquire() {
    while (true) {
      int s = state.get();
      if ((s & CLOSED) != 0) {
        return false;
      }
      if (state.compareAndSet(s, s + 1)) {
        return true;
      }
    }
  }

  private void release() {
    // Once CLOSED is set nobody acquires again, so exactly one release sees "closed and no users".
    if (state.decrementAndGet() == CLOSED) {
      closeQuietly(tapFd);
      closeQuietly(wakeFd);
    }
  }

  private void signalWake() {
    // An eventfd counter only fails to take the increment when it would overflow, i.e. when it is already
    // signalled; either way the reader wakes.
    LibC.write(wakeFd, wakeIncrement, 8);
  }

  private void drainWakeups() {
    LibC.read(wakeFd, wakeScratch, 8);
  }

  private void interfaceIoctl(long request, IfReq req, String what) throws IOException {
    if (!acquire()) {
      throw new IOException("TAP " + name + " is closed");
    }
    try {
      int sock;
      try {
        sock = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
      } catch (LastErrorException e) {
        throw new IOException("cannot open a configuration socket: " + e.getMessage(), e);
      }
      try {
        LibC.ioctl(sock, request, req.memory());
      } catch (LastErrorException e) {
        String hint =
            switch (e.getErrorCode()) {
              case LibC.EPERM, LibC.EACCES -> " (needs root or CAP_NET_ADMIN)";
              case LibC.ENODEV -> " (no such interface in this network namespace; after moving it, configure it"
                  + " inside its namespace)";
              default -> "";
            };
        throw new IOException("TAP " + name + ": cannot " + what + ": " + e.getMessage() + hint, e);
      } finally {
        closeQuietly(sock);
      }
    } finally {
      release();
    }
  }

  private static void validateName(String name) {
    if (name.length() >= IfReq.IFNAMSIZ) {
      throw new IllegalArgumentException(
          "interface name longer than " + (IfReq.IFNAMSIZ - 1) + " characters: " + name);
    }
    if (name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("invalid interface name: " + name);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c > '~' || c == '/' || c == ':') {
        throw new IllegalArgumentException("invalid character in interface name: " + name);
      }
    }
  }

  private static String openFailure(int errno) {
    return switch (errno) {
      case LibC.ENOENT -> TUN_PATH + " does not exist: load the tun kernel module (modprobe tun), or in a"
          + " container pass the device (e.g. --device /dev/net/tun --cap-add NET_ADMIN)";
      case LibC.EACCES, LibC.EPERM -> "permission denied opening " + TUN_PATH + ": run as root or give the JVM"
          + " CAP_NET_ADMIN (in a container: --cap-add NET_ADMIN)";
      case LibC.ENXIO, LibC.ENODEV -> TUN_PATH + " has no driver behind it: load the tun kernel module"
          + " (modprobe tun)";
      default -> "cannot open " + TUN_PATH + ": errno " + errno;
    };
  }

  private static String createFailure(int errno, String requestedName) {
    String shown = requestedName.isEmpty() ? "(kernel-chosen)" : requestedName;
    return switch (errno) {
      case LibC.EPERM, LibC.EACCES -> "creating TAP interface " + shown + " needs root or CAP_NET_ADMIN";
      case LibC.EBUSY -> "interface name " + shown + " is in use by another TAP owner";
      case LibC.EINVAL -> "the kernel refused TAP interface " + shown
          + " (name invalid, or taken by an interface that is not a TAP)";
      default -> "TUNSETIFF for " + shown + " failed: errno " + errno;
    };
  }

  private static void closeQuietly(int fd) {
    try {
      LibC.close(fd);
    } catch (LastErrorException ignored) {
      // Nothing useful to do: the descriptor is gone either way.
    }
  }
}
