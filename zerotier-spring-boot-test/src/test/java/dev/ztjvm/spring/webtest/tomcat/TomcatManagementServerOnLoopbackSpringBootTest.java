package dev.ztjvm.spring.webtest.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.spring.boot.test.LocalZeroTierTest;
import dev.ztjvm.spring.webtest.support.RawHttpConnection;
import dev.ztjvm.spring.webtest.support.ServletHelloApp;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.env.Environment;

/**
 * A Spring MVC application on ZeroTier only gets actuator on its own management server on the OS stack, on 127.0.0.1
 * (the starter's management server defaults): reachable from this host — the ZeroTier caller filter of the main server
 * does not apply to it — and not from other addresses.
 */
@SpringBootTest(classes = ServletHelloApp.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "zerotier.server.enabled=true",
    "management.endpoints.web.exposure.include=health",
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true"
})
@LocalZeroTierTest
class TomcatManagementServerOnLoopbackSpringBootTest {

  @Autowired Environment environment;

  @Test
  void actuatorListensOn127001OnlyAndAnswers() throws Exception {
    int port = environment.getRequiredProperty("local.management.port", Integer.class);
    assertThat(environment.getProperty("management.server.address")).isEqualTo("127.0.0.1");
    try (Socket local = new Socket()) {
      local.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 10_000);
      local.setSoTimeout(60_000);
      RawHttpConnection.Response health = new RawHttpConnection(local).get("127.0.0.1", "/actuator/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"");
    }
    try (Socket other = new Socket()) {
      assertThatThrownBy(() -> other.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port), 10_000))
          .isInstanceOf(ConnectException.class);
    }
  }
}
