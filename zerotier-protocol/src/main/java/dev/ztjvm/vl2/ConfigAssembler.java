package dev.ztjvm.vl2;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl1.WireFormatException;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Member side reassembly of chunked network configs for one network (spec 7.6). Verifies every chunk against the
 * controller identity, keeps at most {@value #MAX_UPDATES} updates in flight (least recently touched replaced), at
 * most {@value #MAX_CHUNKS_PER_UPDATE} chunks each, drops duplicates, overlapping chunks and chunks of updates that
 * already completed. Memory is bounded by {@code MAX_UPDATES} × the 1.x dictionary capacity. Not thread-safe.
 */
public final class ConfigAssembler {
  public static final int MAX_UPDATES = 3;
  public static final int MAX_CHUNKS_PER_UPDATE = 474;
  private static final int REMEMBERED_COMPLETED = 8;

  /** A completed, verified and parsed config. */
  public record Completed(long updateId, NetworkConfig config) {}

  private final long networkId;
  private final long selfAddress;
  private final Identity controller;
  private final Slot[] slots = new Slot[MAX_UPDATES];
  private final long[] completed = new long[REMEMBERED_COMPLETED];
  private int completedNext;
  private long touch;
  private long dropped;

  private static final class Slot {
    long updateId;
    long lastTouched;
    byte[] data = new byte[0];
    long received;
    final TreeMap<Long, Integer> ranges = new TreeMap<>(); // chunkIndex -> length
  }

  /**
   * @param networkId the network
   * @param selfAddress this node's address (configs issued to another node are rejected)
   * @param controller the controller's identity (address = networkId >>> 24)
   */
  public ConfigAssembler(long networkId, long selfAddress, Identity controller) {
    if (controller.address() != NetworkId.controllerAddress(networkId)) {
      throw new IllegalArgumentException("identity " + controller.addressString() + " is not the controller of "
          + NetworkId.toString(networkId));
    }
    this.networkId = networkId;
    this.selfAddress = selfAddress;
    this.controller = controller;
  }

  /** Chunks rejected so far (bad signature, wrong network, duplicates, stale, overlapping, unparsable config). */
  public long droppedChunks() {
    return dropped;
  }

  /**
   * Offers a parsed chunk. Never throws for bad chunks: they are dropped and counted.
   *
   * @param source the node the chunk came from (unsigned short-form chunks are accepted only from the controller)
   * @param packetId the carrying packet's ID (used as update ID of a short-form chunk, as 1.x does)
   * @return the completed config when this chunk completes one, else null
   */
  public @Nullable Completed offer(ConfigChunk chunk, long source, long packetId) {
    if (chunk.networkId() != networkId) {
      return drop();
    }
    long updateId;
    if (chunk.signed()) {
      updateId = chunk.updateId();
      if (chunk.chunkIndex() + chunk.dataLength() > chunk.totalLength()
          || chunk.totalLength() >= Dictionary.NETWORK_CONFIG_CAPACITY) {
        return drop();
      }
    } else {
      if (source != controller.address()) {
        return drop();
      }
      updateId = packetId;
    }
    for (long c : completed) {
      if (c == updateId && c != 0) {
        return drop(); // stale: this update was already applied
      }
    }
    Slot slot = null;
    Slot oldest = null;
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] == null) {
        slots[i] = new Slot();
      }
      Slot s = slots[i];
      if (s.updateId == updateId && s.data.length > 0) {
        slot = s;
        break;
      }
      if (oldest == null || s.lastTouched < oldest.lastTouched) {
        oldest = s;
      }
    }
    boolean fresh = slot == null;
    if (fresh) {
      slot = oldest;
    } else if (slot.data.length != chunk.totalLength()) {
      return drop(); // inconsistent total length within one update
    }
    if (!fresh) {
      Long k = slot.ranges.floorKey(chunk.chunkIndex());
      if (k != null && k + slot.ranges.get(k) > chunk.chunkIndex()) {
        return drop(); // duplicate or overlap
      }
      Long next = slot.ranges.ceilingKey(chunk.chunkIndex());
      if (next != null && next < chunk.chunkIndex() + chunk.dataLength()) {
        return drop();
      }
      if (slot.ranges.size() >= MAX_CHUNKS_PER_UPDATE) {
        return drop();
      }
    }
    if (chunk.signed() && !chunk.verify(controller)) {
      return drop();
    }
    if (fresh) {
      slot.updateId = updateId;
      slot.data = new byte[(int) Math.max(chunk.totalLength(), 1)];
      slot.received = 0;
      slot.ranges.clear();
    }
    slot.lastTouched = ++touch;
    System.arraycopy(chunk.rawData(), 0, slot.data, (int) chunk.chunkIndex(), chunk.dataLength());
    slot.ranges.put(chunk.chunkIndex(), chunk.dataLength());
    slot.received += chunk.dataLength();
    if (slot.received != chunk.totalLength()) {
      return null;
    }
    byte[] dict = slot.data;
    if (dict.length != chunk.totalLength()) {
      dict = new byte[0];
    }
    slot.data = new byte[0];
    slot.ranges.clear();
    slot.updateId = 0;
    completed[completedNext] = updateId;
    completedNext = (completedNext + 1) % completed.length;
    NetworkConfig config;
    try {
      config = NetworkConfig.parse(dict);
    } catch (WireFormatException e) {
      return drop();
    }
    if (config.networkId() != networkId || config.issuedTo() != selfAddress) {
      return drop();
    }
    return new Completed(updateId, config);
  }

  private @Nullable Completed drop() {
    dropped++;
    return null;
  }
}
