package dev.ztjvm.docs;

import dev.ztjvm.controller.jdbc.PostgresController;
import dev.ztjvm.controller.jdbc.PostgresControllerStore;
import dev.ztjvm.node.Vl1Config;
import java.io.IOException;
import org.postgresql.ds.PGSimpleDataSource;

/** The plain-Java controller instance of docs/self-hosting.md (run by PostgresControllerSnippetsTest). */
final class PostgresControllerSnippets {
  private PostgresControllerSnippets() {}

  static PostgresController instance(Vl1Config nodeConfig, String jdbcUrl, String user) throws IOException {
    // region instance
    PGSimpleDataSource dataSource = new PGSimpleDataSource();   // or the pool you already have
    dataSource.setURL(jdbcUrl);                                  // jdbc:postgresql://db.internal:5432/zerotier
    dataSource.setUser(user);
    dataSource.setPassword(System.getenv("PGPASSWORD"));
    // nodeConfig: the controller's secret identity (the same on every instance), your planet, this instance's port
    PostgresController instance = PostgresController.start(nodeConfig, dataSource,
        PostgresControllerStore.Options.defaults());
    long nwid = instance.database().createNetwork(n -> n.name("shared")); // any instance creates and edits
    // endregion
    return instance;
  }
}
