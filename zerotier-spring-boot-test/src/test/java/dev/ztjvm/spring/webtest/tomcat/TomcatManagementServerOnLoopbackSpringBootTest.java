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
 * With the application on ZeroTier only, a separate management server (actuator) stays on the OS stack but defaults to
 * 127.0.0.1 — reachable from this host (and not refused by the ZeroTier caller filter), not from other addresses.
 */
@SpringBootTest(
    classes = ServletHelloApp.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "zerotier.server.enabled=true",
      "management.server.port=0",
      "management.endpoints.web.exposure.include=health",
      "zerotier.startup.timeout=60s",
      "zerotier.startup.fail-on-timeout=true"
    })
@LocalZeroTierTest
class TomcatManagementServerOnLoopbackSpringBootTest {

  @Autowired Environment environment;

  @Test
  void theManagementServerListensOn127001Only() throws Exception {
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
