package dev.ztjvm.spring.boot;

import dev.ztjvm.sockets.ZeroTierNode;

/**
 * Adjusts the {@link ZeroTierNode.Builder} after the {@code zerotier.*} properties have been applied (e.g. interface
 * filters, a TCP config, listeners). Every bean of this type is applied in order.
 */
@FunctionalInterface
public interface ZeroTierNodeBuilderCustomizer {

  /** @param builder the builder, already configured from properties */
  void customize(ZeroTierNode.Builder builder);
}
