package dev.ztjvm.spring.webtest.tomcat;

import dev.ztjvm.spring.boot.test.LocalZeroTierTest;
import dev.ztjvm.spring.webtest.support.ServletHelloApp;
import dev.ztjvm.spring.webtest.support.ServletOnZeroTierContract;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** Spring MVC on Tomcat (spring-boot-starter-webmvc's default) served on ZeroTier. */
@SpringBootTest(classes = ServletHelloApp.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "zerotier.server.enabled=true",
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true"
})
@LocalZeroTierTest
class TomcatOnZeroTierSpringBootTest extends ServletOnZeroTierContract {

  @Override
  protected String container() {
    return "Tomcat";
  }
}
