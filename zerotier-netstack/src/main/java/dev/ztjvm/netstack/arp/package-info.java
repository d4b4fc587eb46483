/** ARP (RFC 826) packet layout for IPv4 over Ethernet. */
@NullMarked
package dev.ztjvm.netstack.arp;

import org.jspecify.annotations.NullMarked;
