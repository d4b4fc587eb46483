/** A small reader for classic libpcap capture files, extracting the UDP datagrams they contain. */
@NullMarked
package dev.ztjvm.vl1.pcap;

import org.jspecify.annotations.NullMarked;
