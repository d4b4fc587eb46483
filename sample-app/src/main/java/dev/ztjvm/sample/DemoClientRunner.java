package dev.ztjvm.sample;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link DemoClient} once the application is ready ({@code sample.demo-client.enabled=true}), on its own
 * thread so start-up is not held up, and logs the round trip: {@code Demo round trip OK: <answer>}.
 */
@Component
@ConditionalOnBooleanProperty("sample.demo-client.enabled")
class DemoClientRunner implements DisposableBean {

  private static final Log log = LogFactory.getLog(DemoClientRunner.class);

  private final ObjectProvider<ZeroTierNode> server;
  private final ZeroTierProperties properties;
  private final ObjectProvider<ZeroTierCentralClient> central;
  private final ObjectProvider<SelfHostedZeroTier> selfHosted;
  private final boolean loop;
  private volatile int port = -1;
  private volatile @Nullable DemoClient client;
  private volatile @Nullable Thread thread;

  DemoClientRunner(ObjectProvider<ZeroTierNode> server, ZeroTierProperties properties,
      ObjectProvider<ZeroTierCentralClient> central, ObjectProvider<SelfHostedZeroTier> selfHosted,
      @Value("${sample.demo-client.loop:false}") boolean loop) {
    this.loop = loop;
    this.server = server;
    this.properties = properties;
    this.central = central;
    this.selfHosted = selfHosted;
  }

  @EventListener
  void onWebServer(WebServerInitializedEvent event) {
    if (!"management".equals(event.getApplicationContext().getServerNamespace())) {
      port = event.getWebServer().getPort();
    }
  }

  @EventListener
  void onReady(ApplicationReadyEvent event) throws IOException {
    ZeroTierNode node = server.getIfAvailable();
    if (node == null || port < 0) {
      log.warn("Demo client not started: no ZeroTier node or web server in this application");
      return;
    }
    DemoClient demo = new DemoClient(setup(), node);
    client = demo;
    Thread t = new Thread(() -> {
      try {
        log.info("Demo round trip OK: " + demo.callHello(port));
        if (loop) {
          log.info("Demo client calling /hello in a loop (sample.demo-client.loop=true)");
          for (long calls = 1; !Thread.currentThread().isInterrupted(); calls++) {
            try {
              demo.callAgain();
            } catch (Exception e) {
              if (Thread.currentThread().isInterrupted()) {
                return; // stopping
              }
              log.warn("Demo loop call failed: " + e);
            }
            if (calls % 100 == 0) {
              log.info("Demo client: " + calls + " more calls");
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("Demo round trip failed: " + e, e);
      }
    }, "demo-client");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Self-hosted mode: the in-process planet and network, authorized by the in-process controller. Otherwise the
   * planet and first network of {@code zerotier.*}, authorized through the Central client bean when there is one.
   */
  private DemoClient.Setup setup() throws IOException {
    Path storage = properties.storage() == null ? null : properties.storage().resolve("demo-client");
    SelfHostedZeroTier own = selfHosted.getIfAvailable();
    if (own != null) {
      return new DemoClient.Setup(own.planet().serialize(), own.networkId(), true, storage,
          (nwid, nodeId) -> own.authorize(nodeId));
    }
    List<Long> networks = properties.networkIds();
    Resource planet = properties.planet();
    ZeroTierCentralClient api = properties.central().token() == null ? null : central.getIfAvailable();
    DemoClient.Authorizer authorizer = api == null ? null : (nwid, nodeId) -> api
        .authorizeMember(String.format("%016x", nwid), String.format("%010x", nodeId)).block(Duration.ofSeconds(30));
    return new DemoClient.Setup(planet == null ? null : planet.getContentAsByteArray(), networks.get(0),
        properties.allowLoopbackPaths(), storage, authorizer);
  }

  @Override
  public void destroy() throws InterruptedException {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      t.join(5000);
    }
    DemoClient c = client;
    if (c != null) {
      c.close();
    }
  }
}
