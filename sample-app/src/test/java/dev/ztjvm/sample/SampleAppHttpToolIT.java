package dev.ztjvm.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.tools.ZeroTierTool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's "Call it from the command line" section against the running jar in its default (self-hosted) mode:
 * a node identity made with {@code zerotier-tools identity generate}, authorized through the self-hosted controller
 * API (the README's {@code curl}, sent here with the JDK's HTTP client), then {@code zerotier-tools http} joins with
 * it and gets {@code /hello} over ZeroTier. The values the README leaves in angle brackets come from
 * {@code /actuator/zerotier} ({@code selfHosted}) and the {@code ZeroTier: serving} log line, as the README says.
 */
class SampleAppHttpToolIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern URL = Pattern.compile(
      "ZeroTier: serving http://([0-9.]+):(\\d+) on network [0-9a-f]{16} \\(node ([0-9a-f]{10})\\)");

  @Test
  void zerotierToolsHttpGetsHelloFromTheSelfHostedApp(@TempDir Path tmp) throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains("java -jar zerotier-tools/target/zerotier-tools.jar identity generate"
        + " cli/identity.secret cli/identity.public")
        .contains("curl -X POST -H \"X-ZT1-Auth: $(cat <tokenFile>)\" -d '{\"authorized\": true}'"
            + " <controllerApiUrl>/controller/network/<networkId>/member/<node ID>")
        .contains("java -jar zerotier-tools/target/zerotier-tools.jar http http://<address>:8080/hello"
            + " --network <networkId> --planet <planetFile> --storage cli --allow-loopback");

    Path work = Files.createDirectories(tmp.resolve("self-hosted"));
    try (SampleAppProcess app = SampleAppProcess.start(work, List.of(
        "--zerotier.storage=" + tmp.resolve("storage"),
        "--zerotier.port=0",
        "--zerotier.bind-addresses=127.0.0.1"))) {
      Matcher url = app.awaitLog(URL);
      String address = url.group(1);
      JsonNode selfHosted = JSON.readTree(SampleAppJarIT.awaitOk(app, "/actuator/zerotier").body()).get("selfHosted");
      String networkId = selfHosted.get("networkId").asString();
      String planetFile = selfHosted.get("planetFile").asString();
      String controllerApiUrl = selfHosted.get("controllerApiUrl").asString();
      String tokenFile = selfHosted.get("tokenFile").asString();

      Path cli = tmp.resolve("cli");
      Tool generate = tool("identity", "generate", cli.resolve("identity.secret").toString(),
          cli.resolve("identity.public").toString());
      assertThat(generate.exitCode).as(generate.err).isZero();
      String nodeId = generate.out.strip();
      assertThat(nodeId).matches("[0-9a-f]{10}");

      HttpResponse<String> authorized = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(controllerApiUrl + "/controller/network/" + networkId + "/member/" + nodeId))
          .header("X-ZT1-Auth", Files.readString(Path.of(tokenFile)).strip())
          .POST(HttpRequest.BodyPublishers.ofString("{\"authorized\": true}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(authorized.statusCode()).as(authorized.body()).isEqualTo(200);

      Tool hello = tool("http", "http://" + address + ":8080/hello", "--network", networkId, "--planet", planetFile,
          "--storage", cli.toString(), "--allow-loopback");
      assertThat(hello.exitCode).as(hello.err).isZero();
      JsonNode body = JSON.readTree(hello.out);
      assertThat(body.get("callerNodeId").asString()).isEqualTo(nodeId);
      assertThat(body.get("serverNodeId").asString()).isEqualTo(url.group(3));
      assertThat(body.get("message").asString()).startsWith("hello " + nodeId);
    }
  }

  private record Tool(int exitCode, String out, String err) {}

  private static Tool tool(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ZeroTierTool.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Tool(code, out.toString(), err.toString());
  }
}
