package dev.ztjvm.controller.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Holds one connection that LISTENs on the store's channel and hands each notification's payload to the store, on its
 * own thread. When the connection breaks it reconnects (backing off up to 5 s) and asks the store to reload
 * everything, since notifications sent meanwhile are lost.
 */
final class ChangeListener implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ChangeListener.class.getName());
  static final String CHANNEL = "zt_controller";

  /** What the store does with notifications. */
  interface Receiver {
    void notified(String payload);

    /** The connection was re-established after a failure: changes may have been missed. */
    void reconnected();
  }

  private final DataSource dataSource;
  private final Receiver receiver;
  private final Thread thread;
  private final CountDownLatch firstListen = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean listening;
  private volatile @Nullable String lastError;

  ChangeListener(DataSource dataSource, Receiver receiver, String name) {
    this.dataSource = dataSource;
    this.receiver = receiver;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  /** Starts listening; returns once the first LISTEN is in place. */
  void start(long timeoutMillis) throws SQLException {
    thread.start();
    try {
      if (!firstListen.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new SQLException("could not LISTEN on " + CHANNEL + " within " + timeoutMillis + " ms: " + lastError);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while starting to LISTEN", e);
    }
  }

  boolean listening() {
    return listening;
  }

  @Nullable
  String lastError() {
    return lastError;
  }

  private void run() {
    long backoff = 100;
    boolean first = true;
    while (running) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        listening = true;
        lastError = null;
        backoff = 100;
        if (first) {
          first = false;
          firstListen.countDown();
        } else {
          receiver.reconnected();
        }
        while (running) {
          PGNotification[] ns = pg.getNotifications(500);
          if (ns != null) {
            for (PGNotification n : ns) {
              try {
                receiver.notified(n.getParameter());
              } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "handling controller store notification '" + n.getParameter() + "' failed", e);
              }
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        listening = false;
        if (!running) {
          break;
        }
        lastError = e.getMessage();
        LOG.log(Level.WARNING, "controller store change listener lost its connection; reconnecting", e);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          break;
        }
        backoff = Math.min(5_000, backoff * 2);
      } finally {
        listening = false;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
