package dev.ztjvm.netstack;

/**
 * Counters of one protocol layer (after lwIP's {@code stats_proto}). {@code dropped} is the total of packets
 * discarded at this layer; the reason fields below it break part of that total down (a drop is counted in at most
 * one reason field).
 *
 * @param received packets that reached this layer from below
 * @param sent packets this layer put out
 * @param delivered packets this layer consumed or handed up successfully
 * @param dropped packets discarded at this layer, for any reason
 * @param checksumErrors drops because a checksum did not verify
 * @param lengthErrors drops because a length field or the packet size was inconsistent
 * @param protocolErrors drops because a field held a value this layer does not accept
 * @param notForUs drops because the packet was addressed to someone else (or to a closed port)
 * @param noRoute outgoing drops for lack of a route or an unresolved neighbour
 * @param queueOverflows drops because a bounded queue or buffer was full
 * @param timeouts drops because a timer expired (resolution, reassembly)
 * @param rateLimited messages not sent because a rate limit held them back (not counted in {@code dropped})
 * @param ignored well-formed packets this layer accepts but has no use for (e.g. MLD reports, router
 *     advertisements), discarded quietly: neither delivered nor counted in {@code dropped}
 */
public record LayerStatistics(
    long received,
    long sent,
    long delivered,
    long dropped,
    long checksumErrors,
    long lengthErrors,
    long protocolErrors,
    long notForUs,
    long noRoute,
    long queueOverflows,
    long timeouts,
    long rateLimited,
    long ignored) {}
