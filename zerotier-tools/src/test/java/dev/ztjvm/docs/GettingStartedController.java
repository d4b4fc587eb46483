package dev.ztjvm.docs;

// The controller shown in docs/getting-started.md, imports included.
// region controller
import dev.ztjvm.sockets.ZeroTierNode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class HelloController {

  private final ZeroTierNode zerotier;           // the managed node: the SDK's ZeroTierNode bean

  HelloController(ZeroTierNode zerotier) {
    this.zerotier = zerotier;
  }

  @GetMapping("/hello")
  String hello(ServerHttpRequest request) {      // arrives over ZeroTier: the remote address is a ZeroTier one
    return "hello " + request.getRemoteAddress() + ", from node " + zerotier.nodeIdString() + "\n";
  }
}
// endregion
