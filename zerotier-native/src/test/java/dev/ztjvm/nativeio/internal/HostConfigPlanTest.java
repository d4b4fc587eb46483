package dev.ztjvm.nativeio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.spi.HostNetworkConfig;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OS-interface mode's route policy and {@code ip} command plans; pure, no root needed. */
class HostConfigPlanTest {

  private static final IpPrefix V4 = IpPrefix.parse("10.147.30.11/24");
  private static final IpPrefix V6 = IpPrefix.parse("fd80:56c2:e21c:0:199:93aa:bbcc:ddee/88");

  private static HostNetworkConfig config(int mtu, List<IpPrefix> addresses, List<Route> routes) {
    return new HostNetworkConfig(0x8056c2e21c000001L, "net", mtu, true, addresses, routes, 7);
  }

  private static Route route(String target, String via) {
    return new Route(IpPrefix.parse(target), via == null ? null : new IpPrefix(IpPrefix.parseIp(via), 0), 0, 0);
  }

  @Test
  void policyKeepsGatewayRoutesAndDropsDefaultOwnGatewayCrossFamilyAndAddressPrefixRoutes() {
    HostConfigPlan.State s = HostConfigPlan.desired(config(2800, List.of(V4, V6), List.of(
        route("10.147.30.0/24", null),          // the address's own prefix: the kernel adds it
        route("10.99.7.9/16", "10.147.30.1"),   // host bits in the target: aligned to 10.99.0.0/16
        route("0.0.0.0/0", "10.147.30.1"),      // default: not without allowDefaultRoute
        route("10.50.0.0/16", "10.147.30.11"),  // via this node itself
        route("10.60.0.0/16", "fd00::1"),       // gateway of the other family
        route("10.70.0.0/16", null),            // on-link, not covered by an address
        route("fd11::/64", "fd80:56c2:e21c:0:199:93aa:bb00:1"))), false);
    assertThat(s.addresses()).containsExactlyInAnyOrder(V4, V6);
    assertThat(s.routes()).containsExactlyInAnyOrder(
        new HostConfigPlan.RouteSpec(IpPrefix.parse("10.99.0.0/16"), IpPrefix.parseIp("10.147.30.1"), 0),
        new HostConfigPlan.RouteSpec(IpPrefix.parse("10.70.0.0/16"), null, 0),
        new HostConfigPlan.RouteSpec(IpPrefix.parse("fd11::/64"), IpPrefix.parseIp("fd80:56c2:e21c:0:199:93aa:bb00:1"),
            0));

    HostConfigPlan.State withDefault = HostConfigPlan.desired(
        config(2800, List.of(V4), List.of(route("0.0.0.0/0", "10.147.30.1"))), true);
    assertThat(withDefault.routes()).containsExactly(
        new HostConfigPlan.RouteSpec(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parseIp("10.147.30.1"), 0));
  }

  @Test
  void aFreshInterfaceGetsAddressesBeforeRoutesAndAChangeRemovesOnlyWhatWasDropped() {
    HostConfigPlan.State first = HostConfigPlan.desired(config(2800, List.of(V4, V6),
        List.of(route("10.99.0.0/16", "10.147.30.1"))), false);
    List<String> fresh = commands(HostConfigPlan.transition("zt0", HostConfigPlan.State.empty(2800), first));
    assertThat(fresh).containsExactly(
        "-4 addr replace 10.147.30.11/24 dev zt0 broadcast +",
        "-6 addr replace fd80:56c2:e21c:0:199:93aa:bbcc:ddee/88 dev zt0 nodad",
        "-4 route replace 10.99.0.0/16 via 10.147.30.1 dev zt0 proto static");

    IpPrefix moved = IpPrefix.parse("10.147.30.12/24");
    HostConfigPlan.State second = HostConfigPlan.desired(config(1400, List.of(moved, V6),
        List.of(route("10.98.0.0/16", "10.147.30.1"))), false);
    List<String> change = commands(HostConfigPlan.transition("zt0", first, second));
    assertThat(change).containsExactly(
        "-4 route del 10.99.0.0/16 via 10.147.30.1 dev zt0",
        "-4 addr del 10.147.30.11/24 dev zt0",
        "link set dev zt0 mtu 1400",
        "-4 addr replace 10.147.30.12/24 dev zt0 broadcast +",
        "-4 route replace 10.98.0.0/16 via 10.147.30.1 dev zt0 proto static");
    assertThat(HostConfigPlan.transition("zt0", second, second)).isEmpty();
  }

  private static List<String> commands(List<HostConfigPlan.Step> steps) {
    return steps.stream().map(s -> String.join(" ", s.ipArgs())).toList();
  }
}
