/**
 * VL1, the encrypted peer-to-peer layer of ZeroTier: packet header codec, verbs, compression, fragmentation and
 * reassembly, physical address encoding and the payload codecs of the VL1 verbs. Everything here works in place on
 * caller-owned {@code byte[]} buffers; time is always passed in.
 */
@NullMarked
package dev.ztjvm.vl1;

import org.jspecify.annotations.NullMarked;
