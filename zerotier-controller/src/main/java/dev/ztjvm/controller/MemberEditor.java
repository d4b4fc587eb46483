package dev.ztjvm.controller;

import dev.ztjvm.vl2.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Edits one member record (spec 9.1) inside {@link ControllerDatabase#updateMember}. */
public final class MemberEditor extends JsonRecordEditor<MemberEditor> {
  private final long nowMillis;

  MemberEditor(Map<String, Object> m, long nowMillis) {
    super(m);
    this.nowMillis = nowMillis;
  }

  @Override
  MemberEditor self() {
    return this;
  }

  /** Authorizes or de-authorizes; stamps the time and credential type "api" as zerotier-one does. */
  public MemberEditor authorized(boolean on) {
    boolean was = ControllerJson.bool(m, "authorized", false);
    m.put("authorized", on);
    if (on != was) {
      if (on) {
        m.put("lastAuthorizedTime", nowMillis);
        m.put("lastAuthorizedCredentialType", "api");
        m.put("lastAuthorizedCredential", ControllerJson.NULL);
      } else {
        m.put("lastDeauthorizedTime", nowMillis);
      }
    }
    return this;
  }

  public MemberEditor activeBridge(boolean on) {
    return set("activeBridge", on);
  }

  public MemberEditor noAutoAssignIps(boolean on) {
    return set("noAutoAssignIps", on);
  }

  public MemberEditor name(String name) {
    return set("name", name);
  }

  /** Replaces the static IP assignments. */
  public MemberEditor ipAssignments(List<InetAddress> ips) {
    return set("ipAssignments", formatAll(ips));
  }

  /** Adds one static IP (no-op if present). */
  public MemberEditor addIp(InetAddress ip) {
    List<Object> l = ControllerJson.list(m, "ipAssignments");
    String s = IpPrefix.format(ip);
    if (!l.contains(s)) {
      l.add(s);
    }
    return set("ipAssignments", l);
  }

  /** Sets a tag value ({@code tags} = [[id, value], …]). */
  public MemberEditor tag(long id, long value) {
    List<Object> l = ControllerJson.list(m, "tags");
    l.removeIf(o -> o instanceof List<?> p && !p.isEmpty() && p.get(0) instanceof Number n && n.longValue() == id);
    l.add(new ArrayList<>(List.of(id, value)));
    return set("tags", l);
  }

  /** Grants capabilities by id. */
  public MemberEditor capabilities(List<Long> ids) {
    return set("capabilities", new ArrayList<Object>(ids));
  }
}
