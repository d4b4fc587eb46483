package dev.ztjvm.underlay.portmap;

/** The protocol a gateway answered a port-mapping request in. */
public enum PortMapProtocol {
  /** Port Control Protocol, version 2 (RFC 6887). */
  PCP,
  /** NAT Port Mapping Protocol (RFC 6886), the fall-back when the gateway answers PCP with UNSUPP_VERSION. */
  NAT_PMP
}
