package dev.ztjvm.spring.boot.autoconfigure.endpoint;

import java.util.Set;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What {@code /actuator/zerotier} shows to whom, bound from {@code management.endpoint.zerotier.*}.
 *
 * @param showDetails When to show the physical side of the node (peers' paths with their public addresses, recent
 *     events, self-hosted join details): never, when-authorized (an authenticated caller with one of the roles) or
 *     always.
 * @param roles Roles of which a caller needs one to see the details with when-authorized; empty: any authenticated
 *     caller.
 */
@ConfigurationProperties("management.endpoint.zerotier")
public record ZeroTierEndpointProperties(
    @DefaultValue("when-authorized") Show showDetails,
    @DefaultValue Set<String> roles) {

  public ZeroTierEndpointProperties {
    roles = Set.copyOf(roles);
  }
}
