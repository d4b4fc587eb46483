package dev.ztjvm.controller.jdbc;

import dev.ztjvm.identity.Identity;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The controller identity kept in the database ({@code zt_controller_identity}), so that every instance started on it
 * runs as the same controller without distributing a secret. The first instance generates it; instances starting at
 * the same time agree on the one that was inserted first.
 */
public final class ControllerIdentityTable {
  private ControllerIdentityTable() {}

  /** The stored identity, generated and stored if there is none (migrates the schema first). */
  public static Identity loadOrCreate(DataSource dataSource) throws IOException {
    try {
      PostgresSchema.migrate(dataSource);
    } catch (RuntimeException e) {
      throw new IOException("PostgreSQL controller store: migrating the schema failed: " + e.getMessage(), e);
    }
    try (Connection c = dataSource.getConnection()) {
      Identity stored = load(c);
      if (stored != null) {
        return stored;
      }
      Identity generated = Identity.generate();
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO zt_controller_identity (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")) {
        ps.setString(1, generated.toSecretString());
        ps.executeUpdate();
      }
      Identity winner = load(c);
      if (winner == null) {
        throw new IOException("the controller identity row vanished right after it was written");
      }
      return winner;
    } catch (SQLException e) {
      throw new IOException("PostgreSQL controller store: reading the controller identity failed: " + e.getMessage(),
          e);
    }
  }

  private static Identity load(Connection c) throws SQLException, IOException {
    try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM zt_controller_identity WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      try {
        return Identity.parse(rs.getString(1));
      } catch (IllegalArgumentException e) {
        throw new IOException("zt_controller_identity holds no valid secret identity: " + e.getMessage(), e);
      }
    }
  }
}
