package dev.ztjvm.docs;

// The controller shown in docs/spring-boot.md (serving Spring MVC on ZeroTier), imports included.
// region caller
import dev.ztjvm.spring.boot.web.servlet.ZeroTierCaller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

@RestController
class WhoAmIController {

  @GetMapping("/whoami")
  String whoami(@RequestAttribute(ZeroTierCaller.ATTRIBUTE) ZeroTierCaller caller) {
    return "hello " + caller.address().getAddress().getHostAddress() + ", node " + caller.nodeIdString();
  }
}
// endregion
