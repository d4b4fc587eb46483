package dev.ztjvm.node;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.node.Vl1Counters.Drop;
import dev.ztjvm.vl1.Echo;
import dev.ztjvm.vl1.ErrorCode;
import dev.ztjvm.vl1.Hello;
import dev.ztjvm.vl1.OkHello;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.PacketCompressor;
import dev.ztjvm.vl1.PushDirectPaths;
import dev.ztjvm.vl1.Rendezvous;
import dev.ztjvm.vl1.Responses;
import dev.ztjvm.vl1.UserMessage;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.Whois;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.vl1.world.World;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;

/**
 * The VL1 verb handlers (ZeroTier One's {@code IncomingPacket}): authenticates a whole packet (known peer, or a HELLO
 * carrying its sender's identity), decompresses it and runs its verb; VL2 verbs go to the node's {@link Vl2Hook}.
 * The costly work an unauthenticated HELLO can cause is gated: a new identity costs an X25519 agreement (bounded per
 * source IP and globally per second, and by the per-/24 new-identity interval) and a proof-of-work check (run off the
 * loop, {@value #MAX_VALIDATIONS_IN_FLIGHT} at a time). Confined to the node's loop.
 */
final class IncomingPacket {

  private static final Logger LOG = Logger.getLogger(IncomingPacket.class.getName());
  private static final int MAX_VALIDATIONS_IN_FLIGHT = 16;
  /** Source prefixes and claimed addresses remembered by the gates; least recently used forgotten first. */
  private static final int MAX_GATE_KEYS = 4096;
  private static final long COLLISION_ANSWER_INTERVAL_MILLIS = 1000;

  /** Identity proof-of-work checks run off the loop so a stranger's HELLO cannot stall traffic. */
  private static final ExecutorService VALIDATORS =
      Executors.newFixedThreadPool(
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          r -> {
            Thread t = new Thread(r, "zerotier-identity-validator");
            t.setDaemon(true);
            return t;
          });

  private final Vl1Node node;
  private final Vl1Counters counters;
  private final Switch sw;
  private final PacketCompressor compressor = new PacketCompressor();
  /** Source /24 (IPv4) or /48 (IPv6) → last new identity accepted from it. */
  private final BoundedMap<Long, Long> newIdentityGate = new BoundedMap<>(MAX_GATE_KEYS);
  /** X25519 agreements for unknown identities, per source IP and for everybody. */
  private final CostGate agreementGate;
  /** Claimed address to the last time an identity collision was answered for it (millis). */
  private final BoundedMap<Long, Long> collisionGate = new BoundedMap<>(MAX_GATE_KEYS);
  private int validationsInFlight;
  private int validationDatagrams;

  IncomingPacket(Vl1Node node) {
    this.node = node;
    this.counters = node.counters();
    this.sw = node.sw();
    Vl1Limits limits = node.config().limits();
    this.agreementGate =
        new CostGate(
            limits.newIdentityAgreementsPerSourcePerSecond(), limits.newIdentityAgreementsPerSecond(), MAX_GATE_KEYS);
  }

  /** Datagrams whose HELLO waits for its identity check. */
  int pendingValidationDatagrams() {
    return validationDatagrams;
  }

  /**
   * Handles one whole packet (reassembled if it was fragmented) addressed to this node.
   *
   * @param datagrams how many datagrams it arrived in (for the per-datagram outcome counts)
   */
  void process(int socketId, InetSocketAddress from, byte[] pkt, int off, int len, int datagrams, long now) {
    long source = Packet.source(pkt, off);
    if (source == node.address()) {
      counters.drop(Drop.OWN_ADDRESS, datagrams);
      return;
    }
    int cipher = Packet.cipher(pkt, off);
    if (cipher == PacketArmor.SUITE_TRUSTED_PATH || cipher > PacketArmor.SUITE_AES_GMAC_SIV) {
      counters.drop(Drop.UNSUPPORTED_CIPHER, datagrams);
      return;
    }
    if (cipher == PacketArmor.SUITE_POLY1305_NONE && Packet.verbCode(pkt, off) == Verb.HELLO.code()) {
      receiveHello(socketId, from, pkt, off, len, datagrams, now);
      return;
    }
    Peer peer = node.topology().get(source);
    if (peer == null) {
      sw.whois.holdInbound(source, socketId, from, pkt, off, len, datagrams, now);
      return;
    }
    if (!sw.armor.dearmor(pkt, off, len, peer.key)) {
      counters.drop(Drop.MAC_FAILED, datagrams);
      return;
    }
    byte[] p = pkt;
    int po = off;
    int n = len;
    if (Packet.isCompressed(pkt, off)) {
      if (pkt != sw.assembled && pkt.length - off < Packet.MAX_PACKET_LENGTH) {
        System.arraycopy(pkt, off, sw.assembled, 0, len);
        p = sw.assembled;
        po = 0;
      }
      n = compressor.decompress(p, po, len);
      if (n < 0) {
        counters.drop(Drop.DECOMPRESS_FAILED, datagrams);
        return;
      }
    }
    counters.delivered(datagrams);
    dispatch(peer, socketId, from, p, po, n, now);
  }

  private void dispatch(Peer peer, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, long now) {
    int verb = Packet.verbCode(pkt, off);
    int hops = Packet.hops(pkt, off);
    counters.in(verb, len);
    peer.lastReceiveMillis = now;
    notePath(peer, socketId, from, hops, verb == Verb.OK.code(), now);
    switch (verb) {
      case 0x00 -> {
      } // NOP
      case 0x02 -> receiveError(peer, pkt, off, len, hops, now);
      case 0x03 -> receiveOk(peer, socketId, from, pkt, off, len, hops, now);
      case 0x04 -> receiveWhois(peer, pkt, off, len, now);
      case 0x05 -> receiveRendezvous(peer, pkt, off, len, now);
      case 0x08 -> receiveEcho(peer, pkt, off, len, now);
      case 0x10 -> receivePushDirectPaths(peer, pkt, off, len, now);
      case 0x14 -> receiveUserMessage(peer, pkt, off, len, now);
      case 0x06, 0x07, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e -> {
        peer.lastDataMillis = now;
        Vl2Hook hook = node.vl2Hook();
        if (hook != null) {
          hook.onPacket(node, peer.address, verb, pkt, off, len, hops, now);
        }
      }
      default -> {
      } // unknown or bonding-only verbs: counted as traffic, otherwise ignored
    }
  }

  /** Records traffic on a path; learns the path on a direct OK, or probes an unknown direct path with a HELLO. */
  private void notePath(Peer peer, int socketId, InetSocketAddress from, int hops, boolean isOk, long now) {
    if (hops != 0) {
      return;
    }
    Path p = peer.path(socketId, from);
    if (p != null) {
      p.lastReceiveMillis = now;
      return;
    }
    if (!node.config().pathPolicy().isAllowed(from.getAddress()) || !peer.acceptsPath(from)) {
      counters.countPathRefused();
      return;
    }
    if (isOk) {
      peer.learnPath(socketId, from, now);
      node.firePathLearned(peer.address, from);
    } else if (peer.rateGateUnknownPathContact(now)) {
      node.sendHello(peer, socketId, from, now);
    }
  }

  // ---------------------------------------------------------------------------------------------- HELLO

  private void receiveHello(
      int socketId, InetSocketAddress from, byte[] pkt, int off, int len, int datagrams, long now) {
    Identity id = Hello.peekIdentity(pkt, off, len);
    if (id == null || len <= Packet.IDX_PAYLOAD) {
      counters.drop(Drop.MALFORMED, datagrams);
      return;
    }
    long source = Packet.source(pkt, off);
    if (id.address() != source) {
      counters.drop(Drop.BAD_IDENTITY, datagrams);
      return;
    }
    if ((pkt[off + Packet.IDX_PAYLOAD] & 0xff) < Packet.PROTOCOL_VERSION_MIN) {
      counters.drop(Drop.OLD_PROTOCOL, datagrams);
      return;
    }
    Peer peer = node.topology().get(source);
    if (peer != null) {
      if (!peer.identity.equals(id)) {
        // Address collision: somebody else claims this address. Never replace a known identity, but tell the
        // claimant (as ZeroTier One does) so that it can report IDENTITY_COLLISION to its user.
        answerIdentityCollision(socketId, from, id, pkt, off, len, datagrams, now);
        return;
      }
      if (!Hello.dearmor(sw.armor, pkt, off, len, peer.key)) {
        counters.drop(Drop.MAC_FAILED, datagrams);
        return;
      }
      acceptHello(peer, socketId, from, pkt, off, len, datagrams, now);
      return;
    }
    if (!passNewIdentityGate(from.getAddress(), now)
        || !agreementGate.tryAcquire(ipKey(from.getAddress()), now)
        || validationsInFlight >= MAX_VALIDATIONS_IN_FLIGHT) {
      counters.drop(Drop.RATE_LIMITED, datagrams);
      return;
    }
    SymmetricKey key;
    try {
      key = node.identity().agree(id);
    } catch (RuntimeException invalidKey) {
      counters.drop(Drop.BAD_IDENTITY, datagrams);
      return;
    }
    if (!Hello.dearmor(sw.armor, pkt, off, len, key)) {
      counters.drop(Drop.MAC_FAILED, datagrams);
      return;
    }
    byte[] copy = Arrays.copyOfRange(pkt, off, off + len);
    validateThen(
        id,
        datagrams,
        () -> {
          Peer p = node.topology().get(source);
          if (p == null) {
            p = node.addPeer(id, key, node.now());
          } else if (!p.identity.equals(id)) {
            counters.drop(Drop.BAD_IDENTITY, datagrams);
            return;
          }
          acceptHello(p, socketId, from, copy, 0, copy.length, datagrams, node.now());
        });
  }

  /**
   * Answers an authentic HELLO from an identity that claims a known peer's address with ERROR(IDENTITY_COLLISION),
   * armored with the key agreed with the claimant (the only key it can check). At most one key agreement per claimed
   * address and second, so forged collisions cannot keep the loop busy with elliptic-curve work.
   */
  private void answerIdentityCollision(
      int socketId, InetSocketAddress from, Identity claimant, byte[] pkt, int off, int len, int datagrams,
      long now) {
    counters.drop(Drop.BAD_IDENTITY, datagrams);
    Long last = collisionGate.get(claimant.address());
    if (last != null && now - last < COLLISION_ANSWER_INTERVAL_MILLIS) {
      return;
    }
    if (!agreementGate.tryAcquire(ipKey(from.getAddress()), now)) {
      return;
    }
    collisionGate.put(claimant.address(), now);
    long helloId = Packet.packetId(pkt, off);
    SymmetricKey key;
    try {
      key = node.identity().agree(claimant);
    } catch (RuntimeException invalidKey) {
      return;
    }
    if (!Hello.dearmor(sw.armor, pkt, off, len, key)) {
      return;
    }
    WireWriter w = sw.begin(claimant.address(), Verb.ERROR);
    w.u8(Verb.HELLO.code()).u64(helloId).u8(ErrorCode.IDENTITY_COLLISION.code());
    int n = w.position();
    sw.armor.armor(sw.tx, 0, n, key, PacketArmor.SUITE_POLY1305_SALSA2012);
    counters.out(Verb.ERROR.code(), n);
    sw.physicalSend(socketId, from, sw.tx, 0, n);
  }

  /** Runs the proof-of-work check off the loop, then {@code onValid} on the loop. */
  private void validateThen(Identity id, int datagrams, Runnable onValid) {
    validationsInFlight++;
    validationDatagrams += datagrams;
    VALIDATORS.execute(
        () -> {
          boolean valid = id.locallyValidate();
          try {
            node.loop()
                .execute(
                    () -> {
                      validationsInFlight--;
                      validationDatagrams -= datagrams;
                      if (valid) {
                        onValid.run();
                      } else {
                        counters.drop(Drop.BAD_IDENTITY, datagrams);
                      }
                    });
          } catch (RejectedExecutionException closed) {
            // node closed meanwhile
          }
        });
  }

  /** Validation queued by {@link #validateThen}, for an identity learned from OK(WHOIS) (no datagram waits). */
  private void validateWhoisAnswer(Identity id) {
    validateThen(
        id,
        0,
        () -> {
          if (node.topology().get(id.address()) == null) {
            node.addPeer(id, node.identity().agree(id), node.now());
          }
        });
  }

  private boolean passNewIdentityGate(InetAddress source, long now) {
    long interval = node.config().newIdentityInterval().toMillis();
    if (interval == 0) {
      return true;
    }
    byte[] a = source.getAddress();
    // /24 for IPv4, /48 for IPv6
    long prefix = a.length == 4 ? Bytes.u32(a, 0) >>> 8 : (Bytes.u64(a, 0) >>> 16) | (1L << 62);
    Long last = newIdentityGate.get(prefix);
    if (last != null && now - last < interval) {
      return false;
    }
    newIdentityGate.put(prefix, now);
    return true;
  }

  private static long ipKey(InetAddress a) {
    byte[] b = a.getAddress();
    return b.length == 4 ? Bytes.u32(b, 0) : Bytes.u64(b, 0) ^ Long.rotateLeft(Bytes.u64(b, 8), 17);
  }

  private void acceptHello(
      Peer peer, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, int datagrams, long now) {
    Hello hello = Hello.parse(pkt, off, len);
    if (hello == null) {
      counters.drop(Drop.BAD_PAYLOAD, datagrams);
      return;
    }
    int hops = Packet.hops(pkt, off);
    counters.delivered(datagrams);
    counters.in(Verb.HELLO.code(), len);
    peer.lastReceiveMillis = now;
    // Answer before recording the version: a brand-new peer gets suite 1, as 1.x does.
    int suite = peer.sendSuite();
    WireWriter w =
        Responses.beginOk(
            sw.tx, 0, sw.ids.next(), peer.address, node.address(), Verb.HELLO, Packet.packetId(pkt, off));
    byte[] worlds = worldUpdatesFor(hello);
    new OkHello(
        hello.timestamp(),
        Packet.PROTOCOL_VERSION,
        Vl1Node.SOFTWARE_MAJOR,
        Vl1Node.SOFTWARE_MINOR,
        Vl1Node.SOFTWARE_REVISION,
        hops == 0 ? from : null,
        worlds)
        .writeTo(w);
    int n = w.position();
    if (hops == 0) {
      sw.armorAndSend(peer, sw.tx, n, suite, false, socketId, from, null, now);
    } else {
      sw.transmitWithSuite(peer, sw.tx, n, false, false, suite, now);
    }
    peer.protocolVersion = hello.protocolVersion();
    peer.major = hello.major();
    peer.minor = hello.minor();
    peer.revision = hello.revision();
    // A HELLO on a path we do not know yet gets our own HELLO there; its OK confirms the path (spec 6.3).
    notePath(peer, socketId, from, hops, false, now);
  }

  /**
   * The worlds newer than the HELLO says its sender has: our planet if it is the same one, and each moon it names
   * that we hold, once however often the HELLO names it.
   */
  private byte[] worldUpdatesFor(Hello hello) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    World planet = node.topology().planet();
    if (hello.planetId() == planet.id() && hello.planetTimestamp() < planet.timestamp()) {
      out.writeBytes(planet.serialize());
    }
    Set<Long> sent = new HashSet<>();
    for (Hello.MoonRef ref : hello.moons()) {
      World m = node.topology().moons().get(ref.worldId());
      if (m != null && ref.timestamp() < m.timestamp() && sent.add(m.id())) {
        out.writeBytes(m.serialize());
      }
    }
    return out.toByteArray();
  }

  // ---------------------------------------------------------------------------------------------- OK / ERROR

  private void receiveOk(
      Peer peer, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, int hops, long now) {
    if (!Responses.isValidOk(len)) {
      counters.reject(Drop.BAD_PAYLOAD);
      return;
    }
    long inRe = Responses.inRePacketId(pkt, off);
    if (!sw.sent.expects(inRe, now)) {
      counters.reject(Drop.UNEXPECTED_OK);
      return;
    }
    int inReVerb = Responses.inReVerb(pkt, off);
    switch (inReVerb) {
      case 0x01 -> okHello(peer, socketId, from, pkt, off, len, hops, now);
      case 0x04 -> okWhois(peer, pkt, off, len);
      case 0x08 -> okEcho(peer, socketId, from, pkt, off, len, hops, now);
      default -> {
        Vl2Hook hook = node.vl2Hook();
        if (hook != null) {
          hook.onPacket(node, peer.address, Verb.OK.code(), pkt, off, len, hops, now);
        }
      }
    }
  }

  private void okHello(
      Peer peer, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, int hops, long now) {
    OkHello ok = OkHello.parse(pkt, off, len);
    if (ok == null) {
      counters.reject(Drop.BAD_PAYLOAD);
      return;
    }
    if (ok.protocolVersion() < Packet.PROTOCOL_VERSION_MIN) {
      counters.reject(Drop.OLD_PROTOCOL);
      return;
    }
    peer.protocolVersion = ok.protocolVersion();
    peer.major = ok.major();
    peer.minor = ok.minor();
    peer.revision = ok.revision();
    if (hops == 0) {
      Path p = peer.path(socketId, from);
      if (p != null) {
        p.latencySample(now - ok.timestamp());
      }
      InetSocketAddress ext = ok.externalAddress();
      if (ext != null && peer.isUpstream()) {
        node.selfAwareness().reported(ext);
      }
    }
    byte[] worlds = ok.worldUpdates();
    if (worlds.length > 0) {
      applyWorldUpdates(peer, worlds, now);
    }
    if (peer.isUpstream()) {
      node.setOnline(true);
    }
  }

  private void applyWorldUpdates(Peer from, byte[] bytes, long now) {
    List<World> worlds = World.readAll(bytes, 0, bytes.length);
    if (worlds == null) {
      counters.reject(Drop.BAD_PAYLOAD);
      return;
    }
    Topology topology = node.topology();
    boolean changed = false;
    for (World w : worlds) {
      if (w.type() == World.Type.PLANET) {
        if (from.role == PeerInfo.Role.PLANET && World.shouldReplace(topology.planet(), w)) {
          topology.setPlanet(w);
          changed = true;
          node.fireWorldChanged(w);
        }
      } else {
        Long seed = topology.orbits().get(w.id());
        boolean fromItsRoot = w.roots().stream().anyMatch(r -> r.identity().address() == from.address);
        boolean wanted = seed != null || topology.moons().containsKey(w.id());
        if (wanted && (fromItsRoot || (seed != null && seed == from.address))
            && World.shouldReplace(topology.moons().get(w.id()), w)) {
          topology.moons().put(w.id(), w);
          changed = true;
          node.fireWorldChanged(w);
        }
      }
    }
    if (changed) {
      topology.rebuildUpstreams(now);
    }
  }

  private void okWhois(Peer from, byte[] pkt, int off, int len) {
    if (!from.isUpstream()) {
      counters.reject(Drop.IGNORED); // 1.x accepts identities only from upstreams
      return;
    }
    List<Identity> ids = Whois.parseOkData(pkt, off, len);
    if (ids == null || ids.isEmpty()) {
      counters.reject(Drop.BAD_PAYLOAD);
      return;
    }
    Identity id = ids.get(0);
    if (node.topology().get(id.address()) != null || !sw.whois.waitingFor(id.address())) {
      return;
    }
    if (validationsInFlight >= MAX_VALIDATIONS_IN_FLIGHT) {
      return; // the WHOIS retry asks again
    }
    validateWhoisAnswer(id);
  }

  private void okEcho(
      Peer peer, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, int hops, long now) {
    if (len < Responses.IDX_OK_DATA + 16) {
      counters.reject(Drop.BAD_PAYLOAD);
      return;
    }
    long id = Bytes.u64(pkt, off + Responses.IDX_OK_DATA);
    long sentAt = Bytes.u64(pkt, off + Responses.IDX_OK_DATA + 8);
    if (hops == 0) {
      Path p = peer.path(socketId, from);
      if (p != null) {
        p.latencySample(now - sentAt);
      }
    }
    node.echoAnswered(id);
  }

  private void receiveError(Peer peer, byte[] pkt, int off, int len, int hops, long now) {
    if (!Responses.isValidError(len)) {
      counters.reject(Drop.BAD_PAYLOAD);
      return;
    }
    int inReVerb = Responses.inReVerb(pkt, off);
    if (inReVerb == Verb.HELLO.code() || inReVerb == Verb.WHOIS.code() || inReVerb == Verb.ECHO.code()) {
      if (Responses.errorCode(pkt, off) == ErrorCode.IDENTITY_COLLISION.code() && peer.isUpstream()) {
        LOG.warning("An upstream reports an identity collision for our address " + node.identity().addressString());
        node.fireIdentityCollision(peer.address);
      }
      return;
    }
    Vl2Hook hook = node.vl2Hook();
    if (hook != null) {
      hook.onPacket(node, peer.address, Verb.ERROR.code(), pkt, off, len, hops, now);
    }
  }

  // ---------------------------------------------------------------------------------------------- other verbs

  private void receiveWhois(Peer peer, byte[] pkt, int off, int len, long now) {
    long[] wanted = Whois.parseRequest(pkt, off, len);
    if (wanted == null) {
      counters.reject(Drop.BAD_PAYLOAD);
      return;
    }
    if (!node.config().root() && !peer.rateGateWhoisAnswer(now)) {
      counters.reject(Drop.ANSWER_RATE_LIMITED);
      return;
    }
    List<Identity> found = new ArrayList<>();
    for (long a : wanted) {
      if (a == node.address()) {
        found.add(node.identity().publicOnly());
      } else {
        Peer p = node.topology().get(a);
        if (p != null) {
          found.add(p.identity);
        }
      }
      if (found.size() >= 8) {
        break;
      }
    }
    if (found.isEmpty()) {
      return;
    }
    WireWriter w =
        Responses.beginOk(
            sw.tx, 0, sw.ids.next(), peer.address, node.address(), Verb.WHOIS, Packet.packetId(pkt, off));
    Whois.writeOkData(w, found);
    sw.transmit(peer, sw.tx, w.position(), false, false, now);
  }

  private void receiveEcho(Peer peer, byte[] pkt, int off, int len, long now) {
    if (!peer.rateGateEcho(now)) {
      counters.reject(Drop.ANSWER_RATE_LIMITED);
      return;
    }
    int n = Echo.writeReply(pkt, off, len, sw.tx, 0, sw.ids.next(), node.address());
    sw.transmit(peer, sw.tx, n, false, false, now);
  }

  private void receiveUserMessage(Peer peer, byte[] pkt, int off, int len, long now) {
    UserMessage m = UserMessage.parse(pkt, off, len);
    if (m == null) {
      counters.reject(Drop.BAD_PAYLOAD);
      return;
    }
    peer.lastDataMillis = now;
    node.fireUserMessage(peer.address, m.typeId(), m.payload());
  }

  private void receiveRendezvous(Peer from, byte[] pkt, int off, int len, long now) {
    if (!from.isUpstream()) {
      counters.reject(Drop.IGNORED);
      return;
    }
    Rendezvous r = Rendezvous.parse(pkt, off, len);
    if (r == null) {
      counters.reject(Drop.BAD_PAYLOAD);
      return;
    }
    Peer target = node.topology().get(r.peer());
    if (target == null || r.peerAddress().getPort() == 0) {
      return;
    }
    node.contactAt(target, r.peerAddress(), now);
  }

  private void receivePushDirectPaths(Peer peer, byte[] pkt, int off, int len, long now) {
    if (!peer.rateGatePushDirectPaths(now)) {
      counters.reject(Drop.ANSWER_RATE_LIMITED);
      return;
    }
    PushDirectPaths push = PushDirectPaths.parse(pkt, off, len);
    if (push == null) {
      counters.reject(Drop.BAD_PAYLOAD);
      return;
    }
    int tried = 0;
    for (PushDirectPaths.Entry e : push.entries()) {
      if ((e.flags() & PushDirectPaths.FLAG_FORGET) != 0) {
        continue;
      }
      if (tried++ >= 16) {
        break;
      }
      node.contactAt(peer, e.address(), now);
    }
  }
}
