package dev.ztjvm.spring.webtest.jetty;

import static dev.ztjvm.spring.webtest.support.StartupFailures.assertFailsWithReport;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** WebFlux on Jetty cannot be served on ZeroTier: start-up fails with the way out (this execution has no Netty). */
@ExtendWith(OutputCaptureExtension.class)
class WebFluxOnJettySetupFailureTest {

  @Test
  void webFluxOnJetty(CapturedOutput output) {
    assertFailsWithReport(output, WebApplicationType.REACTIVE,
        List.of("zerotier.server.enabled=true", "zerotier.network-id=8056c2e21c000001"),
        "zerotier.server.enabled=true cannot serve WebFlux on JettyReactiveWebServerFactory over ZeroTier",
        "Use Reactor Netty");
  }
}
