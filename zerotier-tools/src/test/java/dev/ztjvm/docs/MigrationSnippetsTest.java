package dev.ztjvm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.ZeroTierNode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the libzt-migration snippets: two {@link ZeroTierNode}s on a local planet exchange bytes over TCP. */
class MigrationSnippetsTest {

  @Test
  void libztStyleServerAndClient(@TempDir Path dir) throws Exception {
    try (LocalZeroTier lab = LocalZeroTier.start()) {
      Path planetFile = Files.write(dir.resolve("planet"), lab.planetBytes());
      long nwid = lab.createPublicNetwork("lab", "10.147.18.0/24", "10.147.18.10", "10.147.18.250", false);
      try (ZeroTierNode server = MigrationSnippets.start(dir.resolve("server"), planetFile, nwid);
          ZeroTierNode client = MigrationSnippets.start(dir.resolve("client"), planetFile, nwid)) {
        InetAddress serverIp = server.network(nwid).ipv4().orElseThrow();
        CompletableFuture<OptionalLong> served = CompletableFuture.supplyAsync(() -> {
          try {
            return MigrationSnippets.serveOne(server, 7001);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
        String echoed = null;
        for (int attempt = 0; echoed == null; attempt++) {
          try {
            echoed = MigrationSnippets.exchange(client, serverIp, 7001, "hello libzt users");
          } catch (java.net.ConnectException refused) {
            if (attempt > 50) {
              throw refused;
            }
            Thread.sleep(50); // the server thread has not bound yet
          }
        }
        assertThat(echoed).isEqualTo("hello libzt users");
        assertThat(served.get(30, TimeUnit.SECONDS)).hasValue(client.nodeId());
      }
    }
  }
}
