package dev.ztjvm.vl1;

import static dev.ztjvm.testing.SharedData.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.world.World;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadCodecTest {

  static final Identity A = Identity.parse(SharedData.vectorJson("identities.json").get("A").get("public_string")
      .asString());
  static final long ME = 0x1111111111L;
  static final long PEER = 0x2222222222L;

  final byte[] buf = new byte[Packet.MAX_PACKET_LENGTH];

  @Test
  void verbTableCoversSpecAndMasksFlags() {
    assertThat(Verb.values()).hasSize(21);
    assertThat(Verb.of(0x94)).isEqualTo(Verb.USER_MESSAGE);
    assertThat(Verb.of(0x0f)).isNull();
    assertThat(Verb.of(0x11)).isNull();
    assertThat(Verb.of(0x1f)).isNull();
    assertThat(Verb.nameOf(0x17)).isEqualTo("VERB_0x17");
    for (Verb v : Verb.values()) {
      assertThat(Verb.of(v.code())).isSameAs(v);
    }
    assertThat(ErrorCode.of(7)).isEqualTo(ErrorCode.NETWORK_ACCESS_DENIED);
    assertThat(ErrorCode.of(10)).isNull();
  }

  @Test
  void headerAccessorsReadAndWriteInPlace() {
    int n = Packet.writeHeader(buf, 3, 0x0102030405060708L, PEER, ME, Verb.WHOIS);
    assertThat(n).isEqualTo(28);
    assertThat(Packet.packetId(buf, 3)).isEqualTo(0x0102030405060708L);
    assertThat(Packet.destination(buf, 3)).isEqualTo(PEER);
    assertThat(Packet.source(buf, 3)).isEqualTo(ME);
    buf[3 + Packet.IDX_FLAGS] = (byte) 0x88;
    assertThat(Packet.cipher(buf, 3)).isEqualTo(1);
    for (int i = 0; i < 9; i++) {
      Packet.incrementHops(buf, 3);
    }
    assertThat(Packet.hops(buf, 3)).isEqualTo(1); // wraps within three bits
    assertThat(Packet.cipher(buf, 3)).isEqualTo(1);
    Packet.setFragmented(buf, 3, true);
    assertThat(Packet.flags(buf, 3)).isEqualTo(0x88 | 0x40 | 1);
    assertThat(Packet.isCompressed(buf, 3)).isFalse();
    assertThat(Packet.isPacketHead(buf, 3, 28)).isTrue();
    assertThat(Packet.isPacketHead(buf, 3, 27)).isFalse();
  }

  @Test
  void suitePolicyFollowsTheAnnouncedVersion() {
    assertThat(Packet.suiteFor(0)).isEqualTo(1); // unknown yet
    assertThat(Packet.suiteFor(11)).isEqualTo(1);
    assertThat(Packet.suiteFor(12)).isEqualTo(3);
    assertThat(Packet.suiteFor(13)).isEqualTo(3);
  }

  @Test
  void okAndErrorLayouts() {
    WireWriter w = Responses.beginError(buf, 0, 9, PEER, ME, Verb.NETWORK_CONFIG_REQUEST, 0xabcdefL,
        ErrorCode.NETWORK_ACCESS_DENIED);
    w.u64(0xea7ca3b1d7000001L);
    int len = w.position();
    assertThat(len).isEqualTo(Responses.IDX_ERROR_DATA + 8);
    assertThat(Packet.verbCode(buf, 0)).isEqualTo(Verb.ERROR.code());
    assertThat(Responses.inReVerb(buf, 0)).isEqualTo(Verb.NETWORK_CONFIG_REQUEST.code());
    assertThat(Responses.inRePacketId(buf, 0)).isEqualTo(0xabcdefL);
    assertThat(Responses.errorCode(buf, 0)).isEqualTo(7);
    assertThat(Responses.isValidError(len)).isTrue();
    assertThat(Responses.isValidError(Responses.IDX_ERROR_CODE)).isFalse();
  }

  @Test
  void okHelloRoundTripWithWorldUpdate() {
    byte[] planet = World.defaultPlanetBytes();
    OkHello ok = new OkHello(1700000000000L, 12, 1, 14, 1, InetAddresses.parseEndpoint("10.0.0.1/9993"), planet);
    WireWriter w = Responses.beginOk(buf, 0, 5, PEER, ME, Verb.HELLO, 0x77L);
    ok.writeTo(w);
    OkHello back = OkHello.parse(buf, 0, w.position());
    assertThat(back).isNotNull();
    assertThat(back.timestamp()).isEqualTo(ok.timestamp());
    assertThat(back.externalAddress()).isEqualTo(ok.externalAddress());
    assertThat(back.worldUpdates()).isEqualTo(planet);
    assertThat(World.readAll(back.worldUpdates(), 0, planet.length)).containsExactly(World.defaultPlanet());
    assertThat(OkHello.parse(buf, 0, w.position() - 1)).isNull();
  }

  @Test
  void okHelloFromTheCapture() {
    // run 1 frame 2: root -> controller OK(HELLO), decrypted payload from the reference decode
    byte[] payload = hex("011f4db76acbfc3b96000001a20e815dfc0c010e0001047f0000014e1a0000");
    byte[] p = new byte[28 + payload.length];
    Packet.writeHeader(p, 0, 1, 2, 3, Verb.OK);
    System.arraycopy(payload, 0, p, 28, payload.length);
    OkHello ok = OkHello.parse(p, 0, p.length);
    assertThat(Responses.inRePacketId(p, 0)).isEqualTo(0x1f4db76acbfc3b96L);
    assertThat(ok.timestamp()).isEqualTo(1795539688956L);
    assertThat(ok.protocolVersion()).isEqualTo(12);
    assertThat(ok.minor()).isEqualTo(14);
    assertThat(InetAddresses.toEndpointString(ok.externalAddress())).isEqualTo("127.0.0.1/19994");
    assertThat(ok.worldUpdates()).isEmpty();
  }

  @Test
  void whoisRequestAndAnswer() {
    int len = Whois.writeRequest(buf, 0, 1, PEER, ME, A.address(), 0x0102030405L);
    assertThat(Whois.parseRequest(buf, 0, len)).containsExactly(A.address(), 0x0102030405L);
    assertThat(Whois.parseRequest(buf, 0, len - 1)).isNull();
    assertThat(Whois.parseRequest(buf, 0, 28)).isNull();
    WireWriter w = Responses.beginOk(buf, 0, 2, ME, PEER, Verb.WHOIS, 1);
    Whois.writeOkData(w, List.of(A));
    assertThat(Whois.parseOkData(buf, 0, w.position())).containsExactly(A);
    assertThat(Whois.parseOkData(buf, 0, w.position() - 3)).isNull();
  }

  @Test
  void rendezvousBothFamilies() {
    for (String ep : List.of("198.51.100.7/40000", "2001:db8::42/9993")) {
      Rendezvous r = new Rendezvous(0, A.address(), InetAddresses.parseEndpoint(ep));
      int len = r.write(buf, 0, 1, PEER, ME);
      assertThat(len).isEqualTo(28 + 9 + (ep.contains(":") ? 16 : 4));
      assertThat(Rendezvous.parse(buf, 0, len)).isEqualTo(r);
      assertThat(Rendezvous.parse(buf, 0, len - 1)).isNull();
    }
    buf[28 + 8] = 5; // IP length 5
    assertThat(Rendezvous.parse(buf, 0, 60)).isNull();
  }

  @Test
  void rendezvousFromTheCaptureDecodes() {
    // run 1 frame 52 (decrypted): flags 0, peer c28cfc86ce, port 19995, IP length 4, 127.0.0.1
    byte[] payload = hex("00c28cfc86ce4e1b047f000001");
    byte[] p = new byte[28 + payload.length];
    System.arraycopy(payload, 0, p, 28, payload.length);
    Rendezvous r = Rendezvous.parse(p, 0, p.length);
    assertThat(r.peer()).isEqualTo(0xc28cfc86ceL);
    assertThat(InetAddresses.toEndpointString(r.peerAddress())).isEqualTo("127.0.0.1/19995");
    assertThat(r.isIpv4()).isTrue();
  }

  @Test
  void pushDirectPathsRoundTripAndSkipsUnknownTypes() {
    PushDirectPaths pdp = new PushDirectPaths(List.of(
        new PushDirectPaths.Entry(0, new byte[0], InetAddresses.parseEndpoint("192.168.1.5/9993")),
        new PushDirectPaths.Entry(PushDirectPaths.FLAG_FORGET, new byte[] {1, 2},
            InetAddresses.parseEndpoint("fd00::5/41000"))));
    int len = pdp.write(buf, 0, 1, PEER, ME);
    PushDirectPaths back = PushDirectPaths.parse(buf, 0, len);
    assertThat(back.entries()).hasSize(2);
    assertThat(back.entries().get(1).address()).isEqualTo(InetAddresses.parseEndpoint("fd00::5/41000"));
    assertThat(back.entries().get(1).extension()).containsExactly(1, 2);
    assertThat(back.entries().get(1).flags()).isEqualTo(PushDirectPaths.FLAG_FORGET);
    assertThat(PushDirectPaths.parse(buf, 0, len - 1)).isNull();
    // an unknown address type (9, length 3) is skipped
    byte[] p = new byte[28 + 2 + 1 + 2 + 1 + 1 + 3];
    p[29] = 1;
    p[28 + 2 + 3] = 9;
    p[28 + 2 + 4] = 3;
    assertThat(PushDirectPaths.parse(p, 0, p.length).entries()).isEmpty();
  }

  @Test
  void pushDirectPathsFromTheCapture() {
    byte[] payload = hex("000100000004067f0000014e1c"); // run 1 frame 188
    byte[] p = new byte[28 + payload.length];
    System.arraycopy(payload, 0, p, 28, payload.length);
    PushDirectPaths pdp = PushDirectPaths.parse(p, 0, p.length);
    assertThat(pdp.entries()).hasSize(1);
    assertThat(InetAddresses.toEndpointString(pdp.entries().get(0).address())).isEqualTo("127.0.0.1/19996");
    byte[] again = new byte[p.length];
    assertThat(pdp.write(again, 0, 0, 0, 0)).isEqualTo(p.length);
    assertThat(Arrays.copyOfRange(again, 28, p.length)).isEqualTo(payload);
  }

  @Test
  void userMessageRoundTrip() {
    UserMessage m = new UserMessage(0x1234567890L, "hi".getBytes());
    int len = m.write(buf, 0, 1, PEER, ME);
    UserMessage back = UserMessage.parse(buf, 0, len);
    assertThat(back.typeId()).isEqualTo(0x1234567890L);
    assertThat(back.payload()).isEqualTo("hi".getBytes());
    assertThat(UserMessage.parse(buf, 0, 35)).isNull();
  }

  @Test
  void helloToleratesOldSendersAndRejectsTruncation() {
    Hello h = new Hello(12, 1, 14, 1, 5, A, null, World.DEFAULT_PLANET_ID, 7, List.of());
    int len = h.write(buf, 0, 1, PEER);
    assertThat(Hello.parse(buf, 0, len)).isEqualTo(h);
    int identityEnd = Hello.IDX_IDENTITY + Identity.BINARY_PUBLIC_LENGTH;
    Hello old = Hello.parse(buf, 0, identityEnd); // very old sender: nothing after the identity
    assertThat(old.identity()).isEqualTo(A);
    assertThat(old.moons()).isEmpty();
    assertThat(Hello.parse(buf, 0, identityEnd - 1)).isNull();
    assertThat(Hello.encryptedSectionStart(buf, 0, identityEnd)).isEqualTo(-1);
    assertThat(Hello.encryptedSectionStart(buf, 0, len)).isEqualTo(len - 2);
  }

  @Test
  void inetAddressEncodingOfSpec214() {
    WireWriter w = new WireWriter(buf, 0);
    InetAddresses.write(w, null);
    InetAddresses.write(w, InetAddresses.parseEndpoint("10.147.17.5/24"));
    InetAddresses.write(w, InetAddresses.parseEndpoint("::ffff:1.2.3.4/80"));
    assertThat(hex(Arrays.copyOf(buf, w.position())))
        .isEqualTo("00" + "040a9311050018" + "0600000000000000000000ffff010203040050");
    WireReader r = new WireReader(buf, 0, w.position());
    assertThat(InetAddresses.read(r)).isNull();
    assertThat(InetAddresses.read(r)).isEqualTo(InetAddresses.parseEndpoint("10.147.17.5/24"));
    InetSocketAddress mapped = InetAddresses.read(r);
    assertThat(mapped.getAddress().getAddress()).hasSize(16); // stays IPv6, re-encodes identically
    assertThat(r.remaining()).isZero();
    // reserved types are skipped, truncated input and unknown types are a WireFormatException
    byte[] skip = hex("01aabbccddeeff" + "030002abcd" + "04c000020127");
    WireReader reserved = new WireReader(skip, 0, skip.length);
    assertThat(InetAddresses.read(reserved)).isNull();
    assertThat(InetAddresses.read(reserved)).isNull();
    assertThat(reserved.remaining()).isEqualTo(6);
    assertThatThrownBy(() -> InetAddresses.read(reserved))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("truncated"); // IPv4 needs 6 bytes after type
    byte[] unknown = hex("09");
    assertThatThrownBy(() -> InetAddresses.read(new WireReader(unknown, 0, 1)))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("unknown address type 9");
  }

  @Test
  void endpointTextForms() {
    assertThat(InetAddresses.toEndpointString(InetAddresses.parseEndpoint("2a02:6ea0:d405:0:0:0:0:9993/9993")))
        .isEqualTo("2a02:6ea0:d405::9993/9993");
    assertThat(InetAddresses.toEndpointString(InetAddresses.parseEndpoint("2605:9880:200:1200:30:571:e34:51/9993")))
        .isEqualTo("2605:9880:200:1200:30:571:e34:51/9993");
    assertThat(InetAddresses.toEndpointString(InetAddresses.parseEndpoint("::/0"))).isEqualTo("::/0");
    assertThat(InetAddresses.toEndpointString(InetAddresses.parseEndpoint("1:0:0:2:0:0:0:3/1"))).isEqualTo(
        "1:0:0:2::3/1");
    assertThatThrownBy(() -> InetAddresses.parseEndpoint("localhost/1")).hasMessageContaining("literal");
    assertThatThrownBy(() -> InetAddresses.parseEndpoint("1.2.3.4")).hasMessageContaining("IP/port");
    assertThatThrownBy(() -> InetAddresses.parseEndpoint("1.2.3.4/70000")).hasMessageContaining("range");
    assertThatThrownBy(() -> InetAddresses.parseEndpoint("1.2.3.256/1")).hasMessageContaining("IPv4");
  }
}
