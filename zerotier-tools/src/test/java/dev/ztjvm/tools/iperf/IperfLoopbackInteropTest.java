package dev.ztjvm.tools.iperf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The iperf engine against the real iperf3 over the JDK's own sockets on 127.0.0.1: the protocol alone (cookie,
 * states, parameters, results, streams, reverse mode), without ZeroTier. Both ends' byte counts must agree: each
 * side reports the other's figures from the results exchange.
 */
class IperfLoopbackInteropTest {

  private static final InetAddress LO = InetAddress.getLoopbackAddress();

  @ParameterizedTest(name = "iperf3 -c -P {0} {1}")
  @CsvSource({"1, ''", "1, -R", "3, ''", "2, -R"})
  void iperf3ClientMeasuresAgainstOurServer(int parallel, String reverse) throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (ServerSocket listener = new ServerSocket(0, 50, LO); IperfServer server = new IperfServer(listener,
        lines::add)) {
      CompletableFuture<List<IperfSummary>> served = CompletableFuture.supplyAsync(() -> {
        try {
          return server.serve(1);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      JsonNode report;
      List<String> args = new java.util.ArrayList<>(List.of("-c", "127.0.0.1", "-p",
          String.valueOf(listener.getLocalPort()), "-t", "2", "-P", String.valueOf(parallel), "-J"));
      if (!reverse.isEmpty()) {
        args.add(reverse);
      }
      try (Iperf3Process client = Iperf3Process.start(List.of(), args.toArray(String[]::new))) {
        report = client.awaitReport();
      }
      List<IperfSummary> summaries = served.get(60, TimeUnit.SECONDS);
      assertThat(summaries).as("server lines %s", lines).hasSize(1);
      IperfSummary ours = summaries.get(0);
      JsonNode sent = report.get("end").get("sum_sent");
      JsonNode received = report.get("end").get("sum_received");
      assertThat(sent.get("bytes").longValue()).isPositive().isEqualTo(ours.senderBytes());
      assertThat(received.get("bytes").longValue()).isPositive().isEqualTo(ours.receiverBytes());
      assertThat(report.get("end").get("streams")).hasSize(parallel);
      assertThat(lines).anyMatch(l -> l.matches(
          "sender \\d+\\.\\d\\d MB/s, receiver \\d+\\.\\d\\d MB/s, cpu \\S+ core-ms/MB"));
      assertThat(lines).anyMatch(l -> l.matches(" *0\\.00- *1\\.\\d\\d s +\\d+\\.\\d\\d MB/s"));
    }
  }

  @ParameterizedTest(name = "-c -P {0} reverse={1} against iperf3 -s")
  @CsvSource({"1, false", "1, true", "2, false", "3, true"})
  void ourClientMeasuresAgainstIperf3Server(int parallel, boolean reverse) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, LO)) {
      port = probe.getLocalPort();
    }
    try (Iperf3Process server = Iperf3Process.start(List.of(), "-s", "-1", "-B", "127.0.0.1", "-p",
        String.valueOf(port), "-J")) {
      List<String> lines = new CopyOnWriteArrayList<>();
      IperfClient client = new IperfClient(SocketFactory.getDefault(), lines::add, "test");
      IperfSummary ours = connectWhenListening(client, port, parallel, reverse);
      JsonNode report = server.awaitReport();
      // iperf3 -s reports its own side only; our summary holds its figures from the results exchange
      JsonNode end = report.get("end");
      if (reverse) {
        assertThat(end.get("sum_sent").get("bytes").longValue()).isPositive().isEqualTo(ours.senderBytes());
        assertThat(ours.receiverBytes()).isPositive().isLessThanOrEqualTo(ours.senderBytes());
      } else {
        assertThat(end.get("sum_received").get("bytes").longValue()).isPositive().isEqualTo(ours.receiverBytes());
        assertThat(ours.senderBytes()).isGreaterThanOrEqualTo(ours.receiverBytes());
      }
      assertThat(end.get("streams")).hasSize(parallel);
      assertThat(report.get("start").get("test_start").get("reverse").intValue()).isEqualTo(reverse ? 1 : 0);
      assertThat(report.get("start").get("test_start").get("num_streams").intValue()).isEqualTo(parallel);
      assertThat(lines).last().asString().matches(
          "sender \\d+\\.\\d\\d MB/s, receiver \\d+\\.\\d\\d MB/s, cpu \\S+ core-ms/MB");
    }
  }

  @Test
  void aSecondClientIsTurnedAwayWhileATestRuns() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (ServerSocket listener = new ServerSocket(0, 50, LO); IperfServer server = new IperfServer(listener,
        lines::add)) {
      CompletableFuture<List<IperfSummary>> served = CompletableFuture.supplyAsync(() -> {
        try {
          return server.serve(1);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      IperfClient first = new IperfClient(SocketFactory.getDefault(), l -> {}, "test");
      InetSocketAddress at = new InetSocketAddress(LO, listener.getLocalPort());
      CompletableFuture<IperfSummary> running = CompletableFuture.supplyAsync(() -> {
        try {
          return first.run(at, 3, 1, false);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      awaitLine(lines, "test from ");
      try (Iperf3Process second = Iperf3Process.start(List.of(), "-c", "127.0.0.1", "-p",
          String.valueOf(listener.getLocalPort()), "-t", "1")) {
        assertThatThrownBy(second::awaitReport).hasMessageContaining("busy");
      }
      assertThat(running.get(60, TimeUnit.SECONDS).senderBytes()).isPositive();
      assertThat(served.get(60, TimeUnit.SECONDS)).hasSize(1);
    }
  }

  @ParameterizedTest(name = "iperf3 -c {0} is refused")
  @CsvSource({"-u", "--bidir"})
  void testsThisServerDoesNotRunAreRefusedWithIperf3sOwnError(String option) throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (ServerSocket listener = new ServerSocket(0, 50, LO); IperfServer server = new IperfServer(listener,
        lines::add)) {
      CompletableFuture<List<IperfSummary>> served = CompletableFuture.supplyAsync(() -> {
        try {
          return server.serve(1);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      try (Iperf3Process client = Iperf3Process.start(List.of(), "-c", "127.0.0.1", "-p",
          String.valueOf(listener.getLocalPort()), "-t", "1", option)) {
        assertThatThrownBy(client::awaitReport).hasMessageContaining("not implemented");
      }
      assertThat(served.get(60, TimeUnit.SECONDS)).isEmpty();
      assertThat(lines).anyMatch(l -> l.contains("failed: refused: ") && l.contains("not supported"));
    }
  }

  private static IperfSummary connectWhenListening(IperfClient client, int port, int parallel, boolean reverse)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return client.run(new InetSocketAddress(LO, port), 2, parallel, reverse);
      } catch (IOException e) {
        if (!String.valueOf(e.getMessage()).contains("cannot connect") || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  static void awaitLine(List<String> lines, String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lines.stream().noneMatch(l -> l.startsWith(prefix))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
      }
      Thread.sleep(20);
    }
  }
}
