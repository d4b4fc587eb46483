package dev.ztjvm.benchmarks.spring;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spring start overhead of the ZeroTier starter: {@code sample-app.jar} restarted on the storage of a previous run
 * (identity, planet, controller database and network exist: "restart with state") against the same jar with {@code
 * --zerotier.enabled=false}, alternating, several rounds, medians. Each start is a fresh {@code java -jar} process
 * (the JVM's own start is part of both figures, so it cancels out in the difference).
 *
 * <p>Per start it reports Spring's own "Started SampleApplication in X seconds (process running for Y)" (Y: JVM
 * start to context ready, the figure compared) and, with ZeroTier on, the time from launch to the starter's {@code
 * ZeroTier: serving http://…} line, as seen by this process polling the log.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ztjvm.benchmarks.spring.StarterStartBenchmark \
 *     sample-app/target/sample-app.jar [rounds] [-- jvm options...]
 * </pre>
 */
public final class StarterStartBenchmark {

  private static final Pattern STARTED =
      Pattern.compile("Started SampleApplication in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");
  private static final Pattern SERVING = Pattern.compile("ZeroTier: serving http://");

  private StarterStartBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: StarterStartBenchmark <sample-app.jar> [rounds] [-- jvm options...]");
      System.exit(2);
    }
    Path jar = Path.of(args[0]).toAbsolutePath();
    int rounds = args.length > 1 && !args[1].equals("--") ? Integer.parseInt(args[1]) : 5;
    List<String> jvmOptions = new ArrayList<>();
    int dashes = Arrays.asList(args).indexOf("--");
    if (dashes >= 0) {
      jvmOptions.addAll(Arrays.asList(args).subList(dashes + 1, args.length));
    }
    Path work = Files.createTempDirectory("starter-start");
    Path storage = work.resolve("zerotier-sample");
    // The first start creates the identity, the planet and the self-hosted network; it is not measured.
    Start first = start(jar, jvmOptions, work, storage, true);
    System.out.printf("first start (creates the state, not counted): %.2f s%n", first.processSeconds());

    List<Double> withZt = new ArrayList<>();
    List<Double> servingZt = new ArrayList<>();
    List<Double> without = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Start on = start(jar, jvmOptions, work, storage, true);
      Start off = start(jar, jvmOptions, work, storage, false);
      withZt.add(on.processSeconds());
      servingZt.add(on.servingSeconds());
      without.add(off.processSeconds());
      System.out.printf("round %d: zerotier %.2f s (serving line after %.2f s), zerotier.enabled=false %.2f s%n",
          round, on.processSeconds(), on.servingSeconds(), off.processSeconds());
    }
    double on = median(withZt);
    double off = median(without);
    System.out.printf("median of %d: zerotier %.2f s, zerotier.enabled=false %.2f s, overhead %+.2f s;"
        + " serving line after %.2f s%n", rounds, on, off, on - off, median(servingZt));
  }

  /** One start measured: Spring's "process running for" and the launch-to-serving-line wall time (NaN when off). */
  record Start(double processSeconds, double servingSeconds) {}

  private static Start start(Path jar, List<String> jvmOptions, Path work, Path storage, boolean zerotier)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.add("--zerotier.storage=" + storage);
    command.add("--zerotier.port=0");
    command.add("--zerotier.bind-addresses=127.0.0.1");
    command.add("--management.server.port=" + freeLoopbackPort());
    command.add("--sample.demo-client.enabled=false");
    command.add("--zerotier.enabled=" + zerotier);
    Path log = work.resolve(zerotier ? "on.log" : "off.log");
    long launched = System.nanoTime();
    Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      double serving = Double.NaN;
      Matcher started = null;
      long deadline = launched + TimeUnit.MINUTES.toNanos(5);
      while (started == null || (zerotier && Double.isNaN(serving))) {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (zerotier && Double.isNaN(serving) && SERVING.matcher(text).find()) {
          serving = (System.nanoTime() - launched) / 1e9;
        }
        Matcher m = STARTED.matcher(text);
        if (started == null && m.find()) {
          started = m;
        }
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("the app did not start (zerotier=" + zerotier + "); its log:\n" + text);
        }
        Thread.sleep(20);
      }
      return new Start(Double.parseDouble(started.group(2)), serving);
    } finally {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
