package dev.ztjvm.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs iproute2's {@code ip} for interface settings that are simplest to leave to it (addresses, routes, moving an
 * interface between network namespaces), optionally inside a named network namespace ({@code ip -n NS ...}).
 * Blocking: call it from a configuration thread, never from a packet loop.
 */
public final class IpTool {

  private static final long LIMIT_SECONDS = 20;
  private static final List<String> SEARCH = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private final Path executable;
  private final @Nullable String namespace;

  private IpTool(Path executable, @Nullable String namespace) {
    this.executable = executable;
    this.namespace = namespace;
  }

  /**
   * Finds {@code ip} on the {@code PATH} (or in the usual system directories) and checks the namespace exists.
   *
   * @param namespace a namespace made with {@code ip netns add}, or null for the JVM's own
   * @throws IOException naming what is missing
   */
  public static IpTool locate(@Nullable String namespace) throws IOException {
    Path ip = find();
    if (ip == null) {
      throw new IOException("the 'ip' tool of iproute2 is not installed (apt-get install iproute2, dnf install"
          + " iproute); the OS-interface mode uses it for addresses and routes");
    }
    if (namespace != null && !Files.exists(Path.of("/run/netns", namespace))
        && !Files.exists(Path.of("/var/run/netns", namespace))) {
      throw new IOException("network namespace '" + namespace + "' does not exist (create it with: ip netns add "
          + namespace + ")");
    }
    return new IpTool(ip, namespace);
  }

  private static @Nullable Path find() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(SEARCH);
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, "ip");
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** The namespace the commands run in, or null. */
  public @Nullable String namespace() {
    return namespace;
  }

  /** Runs {@code ip ARGS} in the JVM's own namespace (e.g. to move an interface out of it). */
  public String runHere(List<String> args) throws IOException {
    return exec(args, false);
  }

  /** Runs {@code ip [-n NS] ARGS} and returns its output. */
  public String run(List<String> args) throws IOException {
    return exec(args, true);
  }

  private String exec(List<String> args, boolean inNamespace) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(executable.toString());
    if (inNamespace && namespace != null) {
      cmd.add("-n");
      cmd.add(namespace);
    }
    cmd.addAll(args);
    // One stream for both outputs: no second reader thread; ip writes nothing to stderr when it succeeds.
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      p.getOutputStream().close();
      String out = readQuietly(p.getInputStream());
      if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException(String.join(" ", cmd) + " did not finish within " + LIMIT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        String e = out.trim();
        String hint = e.contains("Operation not permitted") ? " (needs root or CAP_NET_ADMIN)" : "";
        throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + e + hint);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted running " + String.join(" ", cmd));
    } finally {
      p.destroy();
    }
  }

  private static String readQuietly(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
