package dev.ztjvm.node;

import dev.ztjvm.vl1.world.World;
import java.net.InetSocketAddress;

/** Events of a {@link Vl1Node}, delivered on the node's loop thread; keep handlers short. */
public interface Vl1Listener {

  /** The node went online (an upstream answered) or offline (no upstream heard for the activity timeout). */
  default void onOnlineChanged(boolean online) {}

  /** A USER_MESSAGE arrived. */
  default void onUserMessage(long source, long typeId, byte[] payload) {}

  /** A new direct path to a peer was confirmed. */
  default void onPathLearned(long peer, InetSocketAddress remote) {}

  /** The planet or a moon was added or replaced: persist it if the node has storage. */
  default void onWorldChanged(World world) {}

  /** A peer was created (identity known and validated). */
  default void onPeerAdded(long peer) {}

  /** A peer was forgotten after being inactive. */
  default void onPeerRemoved(long peer) {}

  /** An upstream (root) answered with IDENTITY_COLLISION: another node claims this node's address. */
  default void onIdentityCollision(long upstream) {}

  /**
   * The node's event loop died of a fatal error (out of memory, stack overflow, selector failure): the node is
   * offline for good. Called once, on the dying loop thread; record the cause and report it, do not call the node.
   */
  default void onLoopFailed(Throwable cause) {}
}
