package dev.ztjvm.controller.jdbc;

import dev.ztjvm.central.server.ControllerApiServer;
import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.NodeHarness;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * One controller instance of a replicated deployment, as a test runs it: its own node (the shared controller identity
 * on its own UDP port), its own {@link PostgresControllerStore} on the shared database, the controller and its HTTP
 * API.
 */
final class ControllerInstance implements AutoCloseable {
  static final String TOKEN = "replica-test-token";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final String name;
  final EventLoop loop;
  final Vl1Node node;
  final PostgresControllerStore store;
  final ControllerDatabase db;
  final NetworkController controller;
  final ControllerApiServer api;

  ControllerInstance(String name, Identity identity, World planet, DataSource dataSource, Duration instanceTimeout)
      throws Exception {
    this.name = name;
    this.loop = new EventLoop("controller-" + name).start();
    this.node = new Vl1Node(NodeHarness.leafConfig(identity, planet, InetAddress.getLoopbackAddress()), loop);
    node.startOnLoop().get(10, TimeUnit.SECONDS);
    this.store = PostgresControllerStore.open(dataSource,
        PostgresControllerStore.Options.defaults().withInstanceId(name).withInstanceTimeout(instanceTimeout));
    this.db = new ControllerDatabase(store, identity.address());
    this.controller = new NetworkController(node, db);
    controller.start();
    this.api = new ControllerApiServer(db, TOKEN).start(0);
  }

  /** Where members reach this instance. */
  InetSocketAddress udpEndpoint() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), node.underlay().primaryPort());
  }

  /** POSTs a JSON body to the zerotier-one API path; returns the response body (fails on a non-200 status). */
  String post(String path, String json) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api.localApiUrl() + path))
        .header("X-ZT1-Auth", TOKEN).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("POST " + path + " on " + name + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  String get(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api.localApiUrl() + path))
        .header("X-ZT1-Auth", TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " on " + name + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  /** Ends the instance the way a crashed process ends: no goodbye to the database or to the members. */
  void kill() {
    api.close();
    store.crash();
    controller.close();
    node.close();
    loop.close();
  }

  @Override
  public void close() {
    api.close();
    controller.close();
    store.close();
    node.close();
    loop.close();
  }
}
