package dev.ztjvm.spring.webtest.jetty;

import dev.ztjvm.spring.boot.test.LocalZeroTierTest;
import dev.ztjvm.spring.webtest.support.ServletHelloApp;
import dev.ztjvm.spring.webtest.support.ServletOnZeroTierContract;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** Spring MVC on Jetty (spring-boot-starter-jetty instead of Tomcat) served on ZeroTier. */
@SpringBootTest(classes = ServletHelloApp.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "zerotier.server.enabled=true",
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true"
})
@LocalZeroTierTest
class JettyOnZeroTierSpringBootTest extends ServletOnZeroTierContract {

  @Override
  protected String container() {
    return "Jetty";
  }
}
