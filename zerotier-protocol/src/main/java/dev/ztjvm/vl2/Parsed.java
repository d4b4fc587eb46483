package dev.ztjvm.vl2;

/**
 * A value decoded from a byte range together with the number of bytes it occupied, for formats that are
 * concatenated (credentials in NETWORK_CREDENTIALS and config blobs).
 *
 * @param value the decoded value
 * @param length bytes consumed
 */
public record Parsed<T>(T value, int length) {}
