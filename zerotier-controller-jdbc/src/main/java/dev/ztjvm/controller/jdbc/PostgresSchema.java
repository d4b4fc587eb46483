package dev.ztjvm.controller.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates or upgrades the store's tables with Flyway. The migrations live in {@code db/zerotier-controller} and keep
 * their own history table, so an application's own Flyway migrations in the same database are not affected.
 * Instances starting together migrate one after another (a PostgreSQL advisory lock around Flyway): on a fresh
 * database the first creates the tables and the others find them.
 */
public final class PostgresSchema {
  /** Flyway's history table for the controller's migrations. */
  public static final String HISTORY_TABLE = "zt_schema_history";

  static final String LOCATION = "classpath:db/zerotier-controller";

  /** The advisory lock key serializing the controller's migrations ("ztctl" in ASCII). */
  static final long MIGRATION_LOCK = 0x7a7463746cL;

  private PostgresSchema() {}

  /**
   * Migrates {@code dataSource}'s current schema to the latest version; returns the version now in place.
   *
   * @throws IllegalStateException naming the database problem
   */
  public static String migrate(DataSource dataSource) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      try {
        MigrateResult result = Flyway.configure(PostgresSchema.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            .table(HISTORY_TABLE)
            .baselineOnMigrate(true) // the application's own tables may already be there
            .baselineVersion("0")
            .load()
            .migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion
            : String.valueOf(result.initialSchemaVersion);
      } finally {
        s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot migrate the controller schema: " + e.getMessage(), e);
    }
  }
}
