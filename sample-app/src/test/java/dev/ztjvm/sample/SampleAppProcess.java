package dev.ztjvm.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar sample-app.jar} as a separate process, with its output in a file: start it, wait for log lines,
 * call its actuator on loopback, stop it.
 */
final class SampleAppProcess implements AutoCloseable {

  /** Upper bound for the app to get somewhere; a wait, not a performance assertion (CI machines are slow). */
  static final Duration PATIENCE = Duration.ofMinutes(3);

  private final Process process;
  private final Path log;
  private final int managementPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SampleAppProcess(Process process, Path log, int managementPort) {
    this.process = process;
    this.log = log;
    this.managementPort = managementPort;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar.toAbsolutePath() + " does not exist: run this test after 'package' (mvn verify)");
    }
    return jar;
  }

  static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts the jar in {@code workDir} with actuator on a free loopback port and the given extra arguments. */
  static SampleAppProcess start(Path workDir, List<String> args) throws IOException {
    return start(workDir, List.of(), args);
  }

  /** Starts the jar with JVM options (before {@code -jar}) and application arguments. */
  static SampleAppProcess start(Path workDir, List<String> jvmOptions, List<String> args) throws IOException {
    return start(workDir, jvmOptions, Map.of(), args);
  }

  /**
   * Starts the jar with JVM options (after the default {@code -Xmx512m}, so an {@code -Xmx} among them wins),
   * environment variables and application arguments.
   */
  static SampleAppProcess start(Path workDir, List<String> jvmOptions, Map<String, String> environment,
      List<String> args) throws IOException {
    int managementPort = freeLoopbackPort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    command.add("--management.server.port=" + managementPort);
    command.addAll(args);
    Path log = workDir.resolve("sample-app.log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process p = builder.start();
    return new SampleAppProcess(p, log, managementPort);
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** Waits until the log has a line matching {@code pattern}; returns the match. Fails when the process exits. */
  Matcher awaitLog(Pattern pattern) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Matcher m = pattern.matcher(log());
      if (m.find()) {
        return m;
      }
      if (!process.isAlive()) {
        throw new AssertionError("sample app exited (" + process.exitValue() + ") before logging " + pattern
            + "; its output:\n" + log());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("sample app did not log " + pattern + " within " + PATIENCE + "; its output:\n"
            + log());
      }
      Thread.sleep(250);
    }
  }

  /** GET on the actuator (127.0.0.1), empty while nothing listens yet. */
  Optional<HttpResponse<String>> actuator(String path) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    try {
      return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException notYet) {
      return Optional.empty();
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the app the way a service manager does (SIGTERM: graceful shutdown), forcibly if it hangs. */
  @Override
  public void close() throws InterruptedException, IOException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    // Keep the output for reading after the run (the work directory is temporary).
    Path keep = Path.of("target", "sample-app-it-" + log.getParent().getFileName() + ".log");
    if (Files.isDirectory(keep.getParent())) {
      Files.copy(log, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
