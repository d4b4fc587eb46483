package dev.ztjvm.controller.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for the tests: Debian's {@code postgresql} binaries ({@code initdb}, {@code pg_ctl} from
 * {@code /usr/lib/postgresql/<version>/bin}) run a throw-away cluster in a temporary directory on a free loopback
 * port, as the {@code postgres} user when the tests run as root. One server per JVM, stopped at exit; each test gets
 * its own database. Without the binaries the tests fail, saying what to install.
 */
public final class PostgresServer {
  private static final String USER = "zt";
  private static PostgresServer shared;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;

  private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** The JVM's server, started on first use. */
  public static synchronized PostgresServer shared() throws IOException, InterruptedException {
    if (shared == null) {
      shared = start();
      PostgresServer s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
    }
    return shared;
  }

  /** The directory holding {@code initdb} and {@code pg_ctl} (the newest installed version). */
  static Path binaries() {
    return binaries(Path.of("/usr/lib/postgresql"));
  }

  /** {@link #binaries()} under {@code base} instead of {@code /usr/lib/postgresql}. */
  static Path binaries(Path base) {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(base)) {
      try (Stream<Path> s = Files.list(base)) {
        s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb"))
            && Files.isExecutable(p.resolve("pg_ctl"))).forEach(found::add);
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + base, e);
      }
    }
    if (found.isEmpty()) {
      throw new IllegalStateException("These tests need a real PostgreSQL server, but no initdb/pg_ctl was found under "
          + base + "/*/bin. Install Debian's PostgreSQL: apt-get install postgresql");
    }
    found.sort(Comparator.comparing(p -> versionOf(p.getParent().getFileName().toString())));
    return found.get(found.size() - 1);
  }

  private static Integer versionOf(String s) {
    try {
      return Integer.parseInt(s.replaceAll("[^0-9].*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static PostgresServer start() throws IOException, InterruptedException {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("zt-postgres-");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    PostgresServer server = new PostgresServer(bin, dir, port, root);
    if (root) {
      server.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
    }
    server.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
        "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"), true);
    server.run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
        dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
            + " -c max_connections=200", "start"), true);
    return server;
  }

  private void run(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (asServerUser && asPostgres) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      String log = "";
      Path serverLog = dir.resolve("server.log");
      if (Files.exists(serverLog)) {
        log = "\nserver log:\n" + Files.readString(serverLog);
      }
      throw new IllegalStateException("starting the test PostgreSQL failed: " + String.join(" ", cmd) + "\n" + out
          + log);
    }
  }

  private void stop() {
    try {
      run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
          "stop"), true);
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the temporary directory stays; nothing else to do at exit
    }
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of a database on this server. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public String user() {
    return USER;
  }

  /** Creates a new empty database and returns its name. */
  public String createDatabase(String prefix) throws SQLException {
    String name = (prefix + "_" + DATABASES.incrementAndGet()).toLowerCase().replaceAll("[^a-z0-9_]", "_");
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  /** A pooled DataSource on a new database. */
  public HikariDataSource newDatabase(String prefix) throws SQLException {
    return dataSource(createDatabase(prefix));
  }

  /** A pooled DataSource on {@code database}. */
  public HikariDataSource dataSource(String database) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url(database));
    c.setUsername(USER);
    c.setMaximumPoolSize(8);
    c.setPoolName("test-" + database);
    return new HikariDataSource(c);
  }
}
