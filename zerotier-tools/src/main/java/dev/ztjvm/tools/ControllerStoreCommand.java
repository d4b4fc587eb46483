package dev.ztjvm.tools;

import dev.ztjvm.controller.ControllerStore;
import dev.ztjvm.controller.FileControllerStore;
import dev.ztjvm.controller.jdbc.ControllerTransfer;
import dev.ztjvm.controller.jdbc.PostgresControllerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code controller-store}: move a controller's records between a {@code controller.d} directory and PostgreSQL
 * ({@code import} into the database, {@code export} out of it). Exported files are byte-identical to zerotier-one's.
 * Running controller instances on the database see imported records at once (they are announced like any change).
 */
@Command(name = "controller-store", mixinStandardHelpOptions = true, description = "Copy controller records between a controller.d directory and PostgreSQL.", subcommands = {
    ControllerStoreCommand.Import.class, ControllerStoreCommand.Export.class})
final class ControllerStoreCommand extends GroupCommand {

  /** Where the database is: URL and user on the command line, the password only from the environment. */
  abstract static class Transfer extends ToolCommand {
    @Option(names = "--data", required = true, paramLabel = "<controller.d>", description = "the controller.d directory") Path data;

    @Option(names = "--jdbc-url", required = true, paramLabel = "<url>", description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/zerotier") String url;

    @Option(names = "--user", paramLabel = "<name>", description = "database user (password: environment PGPASSWORD)") String user;

    /** Copies in this command's direction; returns what was copied. */
    abstract ControllerTransfer.Summary copy(FileControllerStore files, ControllerStore database) throws Exception;

    abstract String verb();

    @Override
    public Integer call() throws Exception {
      if (!url.startsWith("jdbc:postgresql:")) {
        throw usageError("--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): " + url);
      }
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL(url);
      if (user != null) {
        ds.setUser(user);
      }
      String password = System.getenv("PGPASSWORD");
      if (password != null) {
        ds.setPassword(password);
      }
      ControllerTransfer.Summary s;
      try (PostgresControllerStore db = PostgresControllerStore.open(ds,
          PostgresControllerStore.Options.defaults().withInstanceId("zerotier-tools-" + UUID.randomUUID()))) {
        s = copy(new FileControllerStore(data), db);
      }
      out().println("{\"event\":\"" + verb() + "\",\"networks\":" + s.networks() + ",\"members\":" + s.members()
          + ",\"data\":" + NodeRuntime.q(data.toString()) + "}");
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true, description = "Copy every network and member of a controller.d directory into PostgreSQL (replacing those "
      + "records there).")
  static final class Import extends Transfer {
    @Override
    ControllerTransfer.Summary copy(FileControllerStore files, ControllerStore database) throws Exception {
      if (!Files.isDirectory(data.resolve("network"))) {
        throw new IllegalArgumentException("no controller.d here (no network directory): " + data);
      }
      return ControllerTransfer.copy(files, database);
    }

    @Override
    String verb() {
      return "imported";
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true, description = "Write every network and member in PostgreSQL as a controller.d directory (zerotier-one's "
      + "files, byte for byte).")
  static final class Export extends Transfer {
    @Override
    ControllerTransfer.Summary copy(FileControllerStore files, ControllerStore database) throws Exception {
      return ControllerTransfer.copy(database, files);
    }

    @Override
    String verb() {
      return "exported";
    }
  }
}
