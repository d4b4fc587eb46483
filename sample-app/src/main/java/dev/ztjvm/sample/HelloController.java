package dev.ztjvm.sample;

import dev.ztjvm.sockets.ZeroTierNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.OptionalLong;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code GET /hello}: greets the caller with its own ZeroTier node ID and address. */
@RestController
class HelloController {

  // A provider: with zerotier.enabled=false the app still starts (StarterStartBenchmark's baseline) and /hello,
  // then on the OS stack only, says so.
  private final ObjectProvider<ZeroTierNode> zerotier;

  HelloController(ObjectProvider<ZeroTierNode> zerotier) {
    this.zerotier = zerotier;
  }

  /**
   * The answer.
   *
   * @param message a greeting naming both ends
   * @param serverNodeId this node, ten hex digits
   * @param callerNodeId the caller's node, ten hex digits ("unknown" when the request did not come over ZeroTier)
   * @param callerAddress the caller's IP address
   */
  record Hello(String message, String serverNodeId, String callerNodeId, String callerAddress) {}

  @GetMapping("/hello")
  Mono<Hello> hello(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    InetSocketAddress local = request.getLocalAddress();
    ZeroTierNode node = zerotier.getIfAvailable();
    if (node == null) {
      return Mono.just(new Hello("hello, from an app without ZeroTier (zerotier.enabled=false)", "none", "unknown",
          remote == null ? "unknown" : remote.getAddress().getHostAddress()));
    }
    String self = node.nodeIdString();
    if (remote == null || local == null) {
      return Mono.just(new Hello("hello, stranger, from " + self, self, "unknown", "unknown"));
    }
    // The lookup waits for the node's stack thread, so it runs off the server's event loop.
    return Mono.fromCallable(() -> callerOf(node, local, remote))
        .subscribeOn(Schedulers.boundedElastic())
        .map(caller -> new Hello("hello " + caller + ", from " + self, self, caller,
            remote.getAddress().getHostAddress()));
  }

  private static String callerOf(ZeroTierNode node, InetSocketAddress local, InetSocketAddress remote)
      throws IOException {
    OptionalLong id = CallerLookup.nodeOf(node, local.getAddress(), remote.getAddress());
    return id.isPresent() ? String.format("%010x", id.getAsLong()) : "unknown";
  }
}
