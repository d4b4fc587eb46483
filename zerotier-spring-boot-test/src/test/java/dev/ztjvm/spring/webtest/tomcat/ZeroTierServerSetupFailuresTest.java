package dev.ztjvm.spring.webtest.tomcat;

import static dev.ztjvm.spring.webtest.support.StartupFailures.assertFailsWithReport;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Combinations that cannot be served (or routed) over ZeroTier fail at start with the way out — never a silent
 * fallback to the OS network stack. This execution has Tomcat and WebFlux but not Reactor Netty's server.
 */
@ExtendWith(OutputCaptureExtension.class)
class ZeroTierServerSetupFailuresTest {

  @Test
  void webFluxOnTomcat(CapturedOutput output) {
    assertFailsWithReport(output, WebApplicationType.REACTIVE,
        List.of("zerotier.server.enabled=true", "zerotier.network-id=8056c2e21c000001"),
        "zerotier.server.enabled=true cannot serve WebFlux on TomcatReactiveWebServerFactory over ZeroTier",
        "Use Reactor Netty (spring-boot-starter-webflux without the Tomcat or Jetty starter), or serve the"
            + " application with Spring MVC");
  }

  @Test
  void anMvcAppWithoutANetwork(CapturedOutput output) {
    assertFailsWithReport(output, WebApplicationType.SERVLET, List.of("zerotier.server.enabled=true"),
        "zerotier.server.enabled=true, but there is no ZeroTier node to serve on: no network is configured.",
        "Set zerotier.network-id (or zerotier.networks, or zerotier.self-hosted.enabled=true), or remove"
            + " zerotier.server.enabled");
  }

  @Test
  void clientRoutingWithoutANetwork(CapturedOutput output) {
    assertFailsWithReport(output, WebApplicationType.SERVLET, List.of("zerotier.client.enabled=true"),
        "zerotier.client.enabled=true, but there is no ZeroTier node to send requests over",
        "Set zerotier.network-id (or zerotier.networks, or zerotier.self-hosted.enabled=true), or remove"
            + " zerotier.client.enabled.");
  }
}
