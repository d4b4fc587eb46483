package dev.ztjvm.spring.boot.autoconfigure.selfhosted;

import dev.ztjvm.controller.jdbc.PostgresControllerStore;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the shared controller store ({@code zerotier.self-hosted.store=jdbc}): UP while this replica receives the
 * other replicas' changes and its background writes succeed, with the store's figures as details; DOWN with the last
 * database error otherwise.
 */
final class ControllerStoreHealthIndicator implements HealthIndicator {
  private final PostgresControllerStore store;

  ControllerStoreHealthIndicator(PostgresControllerStore store) {
    this.store = store;
  }

  @Override
  public Health health() {
    PostgresControllerStore.State s = store.state();
    Health.Builder b = s.healthy() ? Health.up() : Health.down();
    b.withDetail("store", "postgresql")
        .withDetail("instance", s.instanceId())
        .withDetail("listening", s.listening())
        .withDetail("networks", s.networks())
        .withDetail("members", s.members())
        .withDetail("pendingWrites", s.pendingWrites());
    if (s.lastError() != null) {
      b.withDetail("error", s.lastError());
    }
    return b.build();
  }
}
