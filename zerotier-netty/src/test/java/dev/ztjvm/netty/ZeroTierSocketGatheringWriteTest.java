package dev.ztjvm.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.socket.SocketGatheringWriteTest;
import java.net.SocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Netty's {@link SocketGatheringWriteTest} over ZeroTier ({@link ZeroTierTestsuite}). */
class ZeroTierSocketGatheringWriteTest extends SocketGatheringWriteTest {

  @BeforeAll
  static void startNodes() throws Exception {
    ZeroTierTestsuite.start();
  }

  @AfterAll
  static void stopNodes() throws Exception {
    ZeroTierTestsuite.stop();
  }

  @Override
  protected List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
    return ZeroTierTestsuite.factories();
  }

  @Override
  protected SocketAddress newSocketAddress() {
    return ZeroTierTestsuite.serverAddress();
  }
}
