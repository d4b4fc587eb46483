package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.ControllerJson;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes write one member record at once, as the docs say they may: the running {@code zerotier-tools
 * controller} (through its HTTP API, {@code --api-port}) and {@code zerotier-tools controller member authorize} in a
 * second JVM. 1,000 mixed authorizations and de-authorizations, every one of which changes the record (the API sets a
 * new name, the command line adds a new IP): nothing may be lost — the revision is exactly 1,000 higher, every IP is
 * there, the name is the API's last.
 */
class ControllerConcurrentWritersTest {

  private static final Path IDS = Path.of(System.getProperty("zt.shared.dir", "../shared"))
      .resolve("zt-captures/identities");
  private static final int PER_WRITER = 500;
  private static final String MEMBER = "c28cfc86ce";

  @TempDir Path dir;

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    }
  }

  @Test
  void runningControllerAndCliInAnotherJvmLoseNoUpdate() throws Exception {
    Identity rootId = Identity.parse(Files.readString(IDS.resolve("root/identity.secret")));
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom());
    World planet = World.sign(World.Type.PLANET, 0x7a744c4142990003L, System.currentTimeMillis(), key.publicKey(),
        List.of(new World.Root(rootId.publicOnly(),
            List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), freeUdpPort())))), key);
    Path planetFile = dir.resolve("planet");
    Files.write(planetFile, planet.serialize());
    Path data = dir.resolve("controller.d");
    Path secret = IDS.resolve("controller/identity.secret");
    StringWriter created = new StringWriter();
    assertThat(ZeroTierTool.execute(new PrintWriter(created, true), new PrintWriter(new StringWriter(), true),
        "controller", "network", "create", data.toString(), "--identity", secret.toString(), "--name", "cas"))
        .isZero();
    String nwid = created.toString().strip();
    assertThat(ZeroTierTool.execute(new PrintWriter(new StringWriter(), true),
        new PrintWriter(new StringWriter(), true), "controller", "member", "authorize", data.toString(), nwid, MEMBER))
        .isZero();
    Path memberFile = data.resolve("network").resolve(nwid).resolve("member").resolve(MEMBER + ".json");
    long initialRevision = ControllerJson.num(ControllerJson.parseObject(Files.readString(memberFile)), "revision", -1);

    StringWriter ctlOut = new StringWriter();
    StringWriter ctlErr = new StringWriter();
    Thread ctl = new Thread(() -> ZeroTierTool.execute(new PrintWriter(ctlOut, true), new PrintWriter(ctlErr, true),
        "controller", "--identity", secret.toString(), "--planet", planetFile.toString(), "--port",
        String.valueOf(freeUdpPortUnchecked()), "--data", data.toString(), "--allow-loopback", "--api-port", "0"));
    ctl.start();
    try {
      Pattern started = Pattern.compile("\"api\":\"(http://127\\.0\\.0\\.1:\\d+)\",\"apiTokenFile\":\"([^\"]+)\"");
      Matcher m = awaitMatch(ctlOut, started);
      String api = m.group(1);
      String token = Files.readString(Path.of(m.group(2))).strip();
      assertThat(Path.of(m.group(2))).isEqualTo(dir.resolve("authtoken.secret"));

      // the second process: the CLI, PER_WRITER times
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process cli = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
          CliWriterMain.class.getName(), data.toString(), nwid, MEMBER, String.valueOf(PER_WRITER))
          .redirectErrorStream(true).redirectOutput(dir.resolve("cli.log").toFile()).start();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      Path cliLog = dir.resolve("cli.log");
      while (!Files.exists(cliLog) || !Files.readString(cliLog).contains("started")) {
        assertThat(cli.isAlive()).as("CLI process died: %s", Files.exists(cliLog) ? Files.readString(cliLog) : "")
            .isTrue();
        assertThat(System.nanoTime()).as("CLI process did not start").isLessThan(deadline);
        Thread.sleep(20);
      }

      // meanwhile the running controller, through its API
      HttpClient http = HttpClient.newHttpClient();
      URI memberUri = URI.create(api + "/controller/network/" + nwid + "/member/" + MEMBER);
      for (int i = 0; i < PER_WRITER; i++) {
        String body = "{\"authorized\":" + (i % 2 == 1) + ",\"name\":\"api-" + i + "\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(memberUri).timeout(Duration.ofSeconds(60))
            .header("X-ZT1-Auth", token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      assertThat(cli.waitFor(10, TimeUnit.MINUTES)).as("CLI process finished").isTrue();
      assertThat(cli.exitValue()).as(Files.readString(dir.resolve("cli.log"))).isZero();

      Map<String, Object> member = ControllerJson.parseObject(Files.readString(memberFile));
      assertThat(ControllerJson.num(member, "revision", -1)).isEqualTo(initialRevision + 2L * PER_WRITER);
      Set<Object> ips = new HashSet<>(ControllerJson.list(member, "ipAssignments"));
      assertThat(ips).hasSize(PER_WRITER);
      for (int i = 0; i < PER_WRITER; i++) {
        assertThat(ips).contains("10.200." + (i / 250) + "." + (i % 250 + 1));
      }
      assertThat(member.get("name")).isEqualTo("api-" + (PER_WRITER - 1));
      assertThat(member.get("authorized")).isEqualTo(true); // both writers ended with an authorization
      try (var files = Files.list(memberFile.getParent())) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly(MEMBER + ".json");
      }
    } finally {
      ctl.interrupt();
      ctl.join(10_000);
    }
  }

  private static int freeUdpPortUnchecked() {
    try {
      return freeUdpPort();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Matcher awaitMatch(StringWriter w, Pattern p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // only so a broken run fails rather than hangs
    while (true) {
      Matcher m = p.matcher(w.toString());
      if (m.find()) {
        return m;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + p + " in output:\n" + w);
      }
      Thread.sleep(50);
    }
  }
}
