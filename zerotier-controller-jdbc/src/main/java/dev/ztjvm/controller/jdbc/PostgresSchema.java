package dev.ztjvm.controller.jdbc;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates or upgrades the store's tables with Flyway. The migrations live in {@code db/zerotier-controller} and keep
 * their own history table, so an application's own Flyway migrations in the same database are not affected.
 */
public final class PostgresSchema {
  /** Flyway's history table for the controller's migrations. */
  public static final String HISTORY_TABLE = "zt_schema_history";

  static final String LOCATION = "classpath:db/zerotier-controller";

  private PostgresSchema() {}

  /** Migrates {@code dataSource}'s current schema to the latest version; returns the version now in place. */
  public static String migrate(DataSource dataSource) {
    MigrateResult result = Flyway.configure(PostgresSchema.class.getClassLoader())
        .dataSource(dataSource)
        .locations(LOCATION)
        .table(HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    return result.targetSchemaVersion != null ? result.targetSchemaVersion : String.valueOf(result.initialSchemaVersion);
  }
}
