package dev.ztjvm.benchmarks.spring;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The benchmarked application: Spring MVC on Tomcat answering {@code GET /hello} with {@code hello}. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(MvcHelloApp.Hello.class)
public class MvcHelloApp {

  @RestController
  static class Hello {
    @GetMapping("/hello")
    String hello() {
      return "hello";
    }
  }
}
