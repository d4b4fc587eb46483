/**
 * The NAT lab: network namespaces behind nftables NATs of each kind (full-cone, address-restricted,
 * port-restricted, symmetric, UDP blocked), our root, controller and TCP relay on a "public" segment, and our nodes as
 * members in child JVMs, to measure when a direct path forms between two members and when traffic stays relayed.
 */
@NullMarked
package dev.ztjvm.tools.natlab;

import org.jspecify.annotations.NullMarked;
