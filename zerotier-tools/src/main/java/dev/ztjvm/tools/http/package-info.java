/**
 * A minimal HTTP/1.1 client over any {@link java.net.Socket} (the {@code http} command runs it over a ZeroTier
 * socket): one request per connection, responses with a length, chunked or ending at close.
 */
@NullMarked
package dev.ztjvm.tools.http;

import org.jspecify.annotations.NullMarked;
