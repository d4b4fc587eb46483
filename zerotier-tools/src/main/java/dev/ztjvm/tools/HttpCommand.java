package dev.ztjvm.tools;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.tools.http.HttpExchange;
import dev.ztjvm.tools.http.HttpRequest;
import dev.ztjvm.tools.http.HttpResponseHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code http}: a curl for ZeroTier. Joins the network with an embedded node, sends one HTTP request over it and
 * prints the response body (with {@code -i}, the status line and headers first). Exit status as {@code curl -f}: 0
 * for a 2xx response, 22 for any other status, 1 when there is no response (with a one-line reason).
 */
@Command(name = "http", mixinStandardHelpOptions = true, description = {
    "Join a network and make one HTTP request over it (like curl -f).",
    "Exit status: 0 for 2xx, 22 for other statuses, 1 when the request failed."})
final class HttpCommand extends ToolCommand {

  /** curl's exit status for an HTTP error with {@code -f}. */
  static final int HTTP_ERROR = 22;

  private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset=\"?([^\";\\s]+)");

  @Parameters(arity = "1..2", paramLabel = "[METHOD] <url>", description = "optional method (default GET, or POST with -d), then an http:// URL") List<String> arguments =
      new ArrayList<>();

  @Option(names = {"-d",
      "--data"}, paramLabel = "<body>", description = "request body (@file reads a file); implies POST and a form content type unless given")
  @Nullable String data;

  @Option(names = {"-H",
      "--header"}, paramLabel = "<Name: value>", description = "extra header; repeatable") List<String> headers =
          new ArrayList<>();

  @Option(names = {"-i",
      "--include"}, description = "print the status line and headers before the body") boolean include;

  @Option(names = {"-o", "--output"}, paramLabel = "<file>", description = "write the body to a file (bytes as is)")
  @Nullable Path output;

  @Mixin NodeOptions node;
  @Mixin UdpPort udp;

  @Override
  public Integer call() throws Exception {
    HttpRequest request = request();
    PrintWriter out = out();
    try (ZeroTierNode n = node.node(udp.port)) {
      try {
        n.start();
        n.awaitNetworkReady(node.nwid(), node.timeout());
      } catch (TimeoutException e) {
        throw new IOException(e.getMessage(), e);
      }
      InetAddress to = address(n, request.uri().getHost());
      int timeoutMillis = (int) node.timeout().toMillis();
      ZeroTierSocket socket = n.newSocket();
      try (socket) {
        try {
          socket.connect(new InetSocketAddress(to, request.port()), timeoutMillis);
        } catch (IOException e) {
          throw new IOException("cannot connect to " + to.getHostAddress() + " port " + request.port() + ": "
              + e.getMessage(), e);
        }
        socket.setSoTimeout(timeoutMillis);
        HttpExchange exchange = HttpExchange.send(socket, request, "zerotier-tools/" + ZeroTierTool.version());
        HttpResponseHead head = exchange.head();
        if (include) {
          out.print(head.statusLine() + "\r\n");
          for (Map.Entry<String, String> h : head.headers()) {
            out.print(h.getKey() + ": " + h.getValue() + "\r\n");
          }
          out.print("\r\n");
        }
        copyBody(exchange.body(), head, out);
        out.flush();
        if (!head.successful()) {
          err().println("error: HTTP " + head.status() + (head.reason().isEmpty() ? "" : " " + head.reason())
              + " from " + request.uri());
          return HTTP_ERROR;
        }
      }
    }
    return 0;
  }

  /** The request from the arguments; a bad one is a usage error (exit status 2). */
  private HttpRequest request() throws IOException {
    String method = arguments.size() == 2 ? arguments.get(0) : (data != null ? "POST" : "GET");
    String url = arguments.get(arguments.size() - 1);
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw usageError("invalid URL '" + url + "': " + e.getMessage());
    }
    byte[] body = new byte[0];
    List<Map.Entry<String, String>> extra = new ArrayList<>();
    try {
      for (String h : headers) {
        extra.add(HttpRequest.header(h));
      }
      if (data != null) {
        body = data.startsWith("@") ? Files.readAllBytes(Path.of(data.substring(1)))
            : data.getBytes(StandardCharsets.UTF_8);
        if (extra.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("Content-Type"))) {
          extra.add(Map.entry("Content-Type", "application/x-www-form-urlencoded")); // what curl -d sends
        }
      }
      return new HttpRequest(method.toUpperCase(Locale.ROOT), uri, extra, body);
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
  }

  /** An IP literal as is; a name through the DNS servers the network's controller pushes. */
  private InetAddress address(ZeroTierNode n, String host) throws IOException {
    String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (literal.matches("[0-9.]+") || literal.indexOf(':') >= 0) {
      return InetAddress.getByName(literal); // a literal: no lookup
    }
    List<InetAddress> found = n.resolve(literal, node.timeout());
    if (found.isEmpty()) {
      throw new IOException("cannot resolve " + literal);
    }
    return found.get(0);
  }

  private void copyBody(InputStream body, HttpResponseHead head, PrintWriter out) throws IOException {
    if (output != null) {
      try (OutputStream file = Files.newOutputStream(output)) {
        body.transferTo(file);
      }
      return;
    }
    Charset charset = StandardCharsets.UTF_8;
    Matcher m = CHARSET.matcher(head.header("Content-Type").orElse(""));
    if (m.find() && Charset.isSupported(m.group(1))) {
      charset = Charset.forName(m.group(1));
    }
    Reader text = new InputStreamReader(body, charset);
    text.transferTo(out);
  }
}
