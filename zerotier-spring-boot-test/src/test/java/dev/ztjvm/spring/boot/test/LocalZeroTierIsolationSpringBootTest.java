package dev.ztjvm.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.central.BlockingZeroTierCentralClient;
import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.sockets.ZeroTierNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;

/**
 * The application's own configuration ({@code application-realapp.yml}) names a state directory and a ZeroTier
 * Central token; under {@link LocalZeroTierTest} the node keeps its state in a fresh directory of the test context
 * and the Central client beans manage the in-process controller instead.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = {"zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true"})
@ActiveProfiles("realapp")
@LocalZeroTierTest
class LocalZeroTierIsolationSpringBootTest {

  @SpringBootApplication
  static class App {}

  @Autowired LocalZeroTierNetwork zerotier;
  @Autowired ZeroTierNode node;
  @Autowired ZeroTierCentralClient central;
  @Autowired BlockingZeroTierCentralClient blockingCentral;

  @Test
  void storageAndCentralClientAreTheTestsOwn() {
    assertThat(Path.of("target/real-app-state-must-stay-untouched")).doesNotExist();
    Path storage = zerotier.applicationStorage();
    assertThat(storage).isNotNull();
    assertThat(storage.resolve("identity.secret")).exists();

    assertThat(zerotier.centralApiUrl()).startsWith("http://127.0.0.1:");
    assertThat(central.toString()).contains(zerotier.centralApiUrl());
    assertThat(central.networks().map(n -> n.id()).collectList().block(Duration.ofSeconds(30)))
        .containsExactly(zerotier.networkIdString());
    Member self = blockingCentral.member(zerotier.networkIdString(), node.nodeIdString());
    assertThat(self.isAuthorized()).isTrue();
  }
}
