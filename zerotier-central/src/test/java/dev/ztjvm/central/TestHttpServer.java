package dev.ztjvm.central;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real HTTP server on 127.0.0.1 (ephemeral port) that records requests and answers through a handler. */
final class TestHttpServer implements AutoCloseable {

  /** A request as received. */
  record Request(String method, String path, Headers headers, String body) {
    String header(String name) {
      return headers.getFirst(name);
    }
  }

  /** A response to send; {@code body} null sends no body. */
  record Response(int status, String body, Map<String, String> headers, long delayMillis) {
    static Response json(int status, String body) {
      return new Response(status, body, Map.of("Content-Type", "application/json"), 0);
    }

    static Response empty(int status) {
      return new Response(status, null, Map.of(), 0);
    }

    Response withHeader(String name, String value) {
      Map<String, String> copy = new java.util.HashMap<>(headers);
      copy.put(name, value);
      return new Response(status, body, copy, delayMillis);
    }

    Response delayed(long millis) {
      return new Response(status, body, headers, millis);
    }
  }

  /** Answers a request. */
  interface Handler {
    Response handle(Request request) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private TestHttpServer(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", exchange -> serve(exchange, handler));
    server.start();
  }

  static TestHttpServer start(Handler handler) throws IOException {
    return new TestHttpServer(handler);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    return requests;
  }

  /** The request served last. */
  Request lastRequest() {
    return requests.get(requests.size() - 1);
  }

  private void serve(HttpExchange exchange, Handler handler) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders(), body);
      requests.add(request);
      Response response;
      try {
        response = handler.handle(request);
      } catch (Exception e) {
        response = Response.json(599, "{\"handlerError\":\"" + e + "\"}");
      }
      if (response.delayMillis() > 0) {
        try {
          Thread.sleep(response.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      if (response.body() == null) {
        exchange.sendResponseHeaders(response.status(), -1);
      } else {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (IOException e) {
      // the client went away (e.g. after its timeout); nothing to answer
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
