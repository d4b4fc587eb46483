package dev.ztjvm.spring.webtest.support;

import dev.ztjvm.spring.boot.web.servlet.ZeroTierCaller;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A Spring MVC application as a user writes it (no ZeroTier code): {@code /hi}, {@code /who} (the remote address and
 * the documented caller attribute), {@code /chunked} (a streamed body) and a WebSocket echo at {@code /echo}. No
 * component scanning, so the tests that share this package do not see each other's beans.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSocket
@Import(ServletHelloApp.Hello.class)
public class ServletHelloApp implements WebSocketConfigurer {

  /** Counted down when {@code /slow} has started; {@code /slow} answers once {@link #releaseSlow} is. */
  public static volatile CountDownLatch slowStarted = new CountDownLatch(1);

  /** Lets {@code /slow} answer. */
  public static volatile CountDownLatch releaseSlow = new CountDownLatch(1);

  @RestController
  static class Hello {

    @GetMapping("/slow")
    String slow() throws InterruptedException {
      slowStarted.countDown();
      if (!releaseSlow.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
      return "slow done";
    }

    @GetMapping("/hi")
    String hi() {
      return "hi";
    }

    @GetMapping("/who")
    String who(HttpServletRequest request) {
      return request.getRemoteAddr() + " " + request.getRemotePort() + " "
          + request.getAttribute(ZeroTierCaller.NODE_ID_ATTRIBUTE);
    }

    @GetMapping("/chunked")
    StreamingResponseBody chunked() {
      return out -> {
        for (int i = 0; i < 3; i++) {
          out.write(("part" + i + ";").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      };
    }
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(new TextWebSocketHandler() {
      @Override
      protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
        session.sendMessage(new TextMessage("echo " + message.getPayload()));
      }
    }, "/echo");
  }
}
