package dev.ztjvm.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point of {@code java -jar sample-app.jar}. Everything ZeroTier comes from the starter and
 * {@code application.yml}; the classes next to this one are what an application adds on top.
 */
@SpringBootApplication
public class SampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
