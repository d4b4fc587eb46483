package dev.ztjvm.tools.iperf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The real {@code iperf3} (Debian package {@code iperf3}; {@code .ci/run} installs it) as a child process with its
 * {@code -J} report. The waits have generous limits only so that a broken run fails instead of hanging.
 */
final class Iperf3Process implements AutoCloseable {

  static final String REQUIREMENT = "the iperf3 interop tests run the real iperf3 (Debian package iperf3; .ci/run"
      + " installs it)";

  private final Process process;
  private final Path output;
  private final List<String> command;

  private Iperf3Process(List<String> command, Process process, Path output) {
    this.command = command;
    this.process = process;
    this.output = output;
  }

  /** The path of the iperf3 binary; fails (not skips) without it, as CI has it. */
  static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, "iperf3");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError("no iperf3 on the PATH: " + REQUIREMENT);
  }

  /** Starts {@code prefix... iperf3 args...} (the prefix runs it elsewhere, e.g. {@code ip netns exec NS}). */
  static Iperf3Process start(List<String> prefix, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(binary());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("iperf3-", ".out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    return new Iperf3Process(cmd, p, out);
  }

  /** Waits for the end and returns the {@code -J} report; fails with the output if iperf3 failed. */
  JsonNode awaitReport() throws Exception {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not end; output: " + output());
    }
    String text = output();
    if (process.exitValue() != 0) {
      throw new AssertionError(command + " exited with " + process.exitValue() + ": " + text);
    }
    int start = text.indexOf('{');
    if (start < 0) {
      throw new AssertionError(command + " printed no JSON: " + text);
    }
    return IperfProtocol.JSON.readTree(text.substring(start));
  }

  String output() throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    Files.deleteIfExists(output);
  }
}
