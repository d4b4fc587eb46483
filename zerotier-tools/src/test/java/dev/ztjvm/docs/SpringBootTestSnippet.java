package dev.ztjvm.docs;

// The test shown in docs/spring-boot.md, imports included.
// region local-zerotier-test
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.ztjvm.central.BlockingZeroTierCentralClient;
import dev.ztjvm.spring.boot.test.LocalZeroTierNetwork;
import dev.ztjvm.spring.boot.test.LocalZeroTierTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(webEnvironment = RANDOM_PORT, properties = "zerotier.server.enabled=true")
@LocalZeroTierTest                      // in-process planet, root, controller; app identity authorized
class MyAppTests {

  @Autowired LocalZeroTierNetwork zerotier;   // networkId(), applicationNodeId(), (de)authorizeApplication(),
                                               // localZeroTier().nodeBuilder() for client nodes
  @Autowired BlockingZeroTierCentralClient central;  // the app's Central client bean, on the local controller
}
// endregion
