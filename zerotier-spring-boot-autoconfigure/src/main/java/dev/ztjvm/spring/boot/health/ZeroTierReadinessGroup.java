package dev.ztjvm.spring.boot.health;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * {@code zerotier.health.readiness=true} (the default): the {@code zerotier} health contributor is a member of the
 * {@code readiness} group (Kubernetes' readiness probe, {@code /actuator/health/readiness}), so an instance whose
 * network is not ready (e.g. ACCESS_DENIED) or lost is taken out of service. The group exists when probes are enabled
 * ({@code management.endpoint.health.probes.enabled}, automatic on Kubernetes) or when the application defines it.
 */
public final class ZeroTierReadinessGroup implements HealthEndpointGroupsPostProcessor {

  /** The name of the readiness group. */
  public static final String READINESS = "readiness";

  private final String contributor;

  /** @param contributor the name of the ZeroTier health contributor, {@code zerotier} */
  public ZeroTierReadinessGroup(String contributor) {
    this.contributor = contributor;
  }

  @Override
  public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
    HealthEndpointGroup readiness = groups.get(READINESS);
    if (readiness == null || readiness.isMember(contributor)) {
      return groups;
    }
    Map<String, HealthEndpointGroup> all = new LinkedHashMap<>();
    for (String name : groups.getNames()) {
      all.put(name, groups.get(name));
    }
    all.put(READINESS, new WithContributor(readiness, contributor));
    return HealthEndpointGroups.of(groups.getPrimary(), all);
  }

  /** A group that also has the ZeroTier contributor as a member. */
  private record WithContributor(HealthEndpointGroup group, String contributor) implements HealthEndpointGroup {

    @Override
    public boolean isMember(String name) {
      return contributor.equals(name) || group.isMember(name);
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return group.showComponents(securityContext);
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return group.showDetails(securityContext);
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return group.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return group.getHttpCodeStatusMapper();
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
      return group.getAdditionalPath();
    }
  }
}
