package dev.ztjvm.controller.jdbc;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * One controller instance on a shared PostgreSQL database: a node running as the controller identity (on its own
 * loop and UDP port), a {@link PostgresControllerStore}, the {@link ControllerDatabase} API over it and the {@link
 * NetworkController}. Start as many as needed with the same identity and database; members may talk to any of them.
 */
public final class PostgresController implements AutoCloseable {
  private final EventLoop loop;
  private final Vl1Node node;
  private final PostgresControllerStore store;
  private final ControllerDatabase database;
  private final NetworkController controller;

  private PostgresController(EventLoop loop, Vl1Node node, PostgresControllerStore store) {
    this.loop = loop;
    this.node = node;
    this.store = store;
    this.database = new ControllerDatabase(store, node.address());
    this.controller = new NetworkController(node, database);
  }

  /**
   * Starts an instance.
   *
   * @param nodeConfig the controller node's configuration: its identity (the controller's secret identity, the same
   *     for every instance), planet and UDP binding
   */
  public static PostgresController start(Vl1Config nodeConfig, DataSource dataSource,
      PostgresControllerStore.Options options) throws IOException {
    Identity id = nodeConfig.identity();
    if (!id.hasSecret()) {
      throw new IllegalArgumentException("a controller needs its secret identity, got the public one of "
          + id.addressString());
    }
    PostgresControllerStore store = PostgresControllerStore.open(dataSource, options);
    EventLoop loop = new EventLoop("zt-controller-" + options.instanceId()).start();
    Vl1Node node = new Vl1Node(nodeConfig, loop);
    try {
      node.startOnLoop().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      node.close();
      loop.close();
      store.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable c = e instanceof ExecutionException ? e.getCause() : e;
      throw new IOException("the controller node did not start: " + c, c);
    }
    PostgresController pc = new PostgresController(loop, node, store);
    pc.controller.start();
    return pc;
  }

  public Vl1Node node() {
    return node;
  }

  public PostgresControllerStore store() {
    return store;
  }

  /** Create networks, authorize members: saved in PostgreSQL, pushed to members by whichever instance serves them. */
  public ControllerDatabase database() {
    return database;
  }

  public NetworkController controller() {
    return controller;
  }

  /** Where this instance's node listens (the first UDP socket). */
  public InetSocketAddress udpEndpoint() {
    var u = node.underlay();
    if (u == null) {
      throw new IllegalStateException("the controller node has no UDP socket");
    }
    return u.sockets().get(0).localAddress();
  }

  /** Stops the controller, its node and the store (other instances take its members over). */
  @Override
  public void close() {
    controller.close();
    node.close();
    loop.close();
    store.close();
  }
}
