/**
 * VL2: ZeroTier virtual Ethernet networks — network IDs, MAC and managed address derivation, the dictionary
 * codec, the network configuration model with its signed credentials (COM, capabilities, tags, certificates of
 * ownership, revocations), chunked config delivery and the flow rules engine.
 *
 * <p>Everything here is pure data and computation: no I/O, no clocks. Parsers called with untrusted bytes throw
 * {@link dev.ztjvm.vl1.WireFormatException} (an {@link IllegalArgumentException}) and nothing else.
 */
@org.jspecify.annotations.NullMarked
package dev.ztjvm.vl2;
