package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.WireFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CredentialsTest {
  private static final Identity A = Vl2TestData.vectorIdentity("A");
  private static final Identity B = Vl2TestData.vectorIdentity("B");
  private static final long NWID = 0x4f3f5c640a000001L; // controller = A

  @Test
  void comVectorIsReproducedBySigningAndVerifies() {
    JsonNode v = SharedData.vectorJson("vl2.json").get("certificate_of_membership");
    byte[] expected = SharedData.hex(v.get("serialized_hex").asString());
    CertificateOfMembership com = CertificateOfMembership.issue(NWID, v.get("timestamp").asLong(),
        v.get("max_delta").asLong(), B.publicOnly()).sign(A);
    assertThat(SharedData.hex(com.toBytes())).isEqualTo(v.get("serialized_hex").asString());
    CertificateOfMembership parsed = CertificateOfMembership.parse(expected);
    assertThat(parsed).isEqualTo(com);
    assertThat(parsed.verify(A.publicOnly())).isTrue();
    assertThat(parsed.verify(B)).isFalse();
    assertThat(parsed.timestamp()).isEqualTo(1700000000000L);
    assertThat(parsed.qualifiers()).hasSize(7);
    // a flipped qualifier bit breaks the signature
    byte[] tampered = expected.clone();
    tampered[10] ^= 1;
    assertThat(CertificateOfMembership.parse(tampered).verify(A)).isFalse();
  }

  @Test
  void comAgreementIsThePure1xCheck() {
    Identity c = Vl2TestData.capturedIdentity("member1", true);
    CertificateOfMembership ourB = CertificateOfMembership.issue(NWID, 1_000_000, 60_000, B).sign(A);
    CertificateOfMembership theirC = CertificateOfMembership.issue(NWID, 1_030_000, 60_000, c).sign(A);
    assertThat(ourB.agreesWith(theirC, c)).isTrue();
    assertThat(theirC.agreesWith(ourB, B)).isTrue();
    // their COM does not belong to the identity that presented it
    assertThat(ourB.agreesWith(theirC, B)).isFalse();
    // timestamps farther apart than our max delta
    CertificateOfMembership old = CertificateOfMembership.issue(NWID, 1_000_000 - 60_001, 60_000, c).sign(A);
    assertThat(ourB.agreesWith(old, c)).isFalse();
    // another network
    CertificateOfMembership other = CertificateOfMembership.issue(NWID + 1, 1_000_000, 60_000, c);
    assertThat(ourB.agreesWith(other, c)).isFalse();
    // missing qualifier / empty COM
    CertificateOfMembership partial = CertificateOfMembership.of(List.of(
        new CertificateOfMembership.Qualifier(0, 1_000_000, 60_000)));
    assertThat(ourB.agreesWith(partial, c)).isFalse();
    assertThat(partial.agreesWith(ourB, B)).isTrue(); // only our qualifiers are required
    assertThat(CertificateOfMembership.of(List.of()).agreesWith(ourB, B)).isFalse();
  }

  @Test
  void comParserRejectsMalformed() {
    byte[] ok = CertificateOfMembership.issue(NWID, 1, 2, B).sign(A).toBytes();
    assertThatThrownBy(() -> CertificateOfMembership.parse(new byte[] {2, 0, 0})).isInstanceOf(
        WireFormatException.class);
    assertThatThrownBy(() -> CertificateOfMembership.parse(java.util.Arrays.copyOf(ok, ok.length - 1)))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("truncated");
    byte[] unordered = ok.clone();
    unordered[3 + 24 + 7] = 9; // qualifier #1 id becomes 9, then #2 id 2 < 9
    assertThatThrownBy(() -> CertificateOfMembership.parse(unordered)).isInstanceOf(WireFormatException.class)
        .hasMessageContaining("ascending");
    byte[] tooMany = ok.clone();
    tooMany[2] = 9;
    assertThatThrownBy(() -> CertificateOfMembership.parse(tooMany)).isInstanceOf(WireFormatException.class);
  }

  @Test
  void tagSignVerifyRoundTrip() {
    Tag t = Tag.of(NWID, 5000, 100, 7, B.address()).sign(A);
    byte[] bytes = t.toBytes();
    assertThat(bytes).hasSize(8 + 8 + 4 + 4 + 5 + 5 + 3 + 96 + 2);
    Parsed<Tag> p = Tag.read(bytes, 0, bytes.length);
    assertThat(p.length()).isEqualTo(bytes.length);
    assertThat(p.value()).isEqualTo(t);
    assertThat(p.value().verify(A)).isTrue();
    bytes[20] ^= 1; // value changed
    assertThat(Tag.read(bytes, 0, bytes.length).value().verify(A)).isFalse();
    // signed by a non-controller
    assertThat(Tag.of(NWID, 5000, 100, 7, B.address()).sign(B).verify(B)).isFalse();
  }

  @Test
  void capabilityCustodyChain() {
    Identity c = Vl2TestData.capturedIdentity("member1", true);
    Capability cap = Capability.of(NWID, 77, 9, List.of(Rule.matchDestPortRange(22, 22), Rule.accept()), 3)
        .sign(A, B.address());
    assertThat(cap.verify(A)).isTrue();
    assertThat(cap.holder()).isEqualTo(B.address());
    Capability passed = cap.sign(B, c.address());
    java.util.Map<Long, Identity> ids = java.util.Map.of(A.address(), A, B.address(), B);
    assertThat(passed.verify(ids::get)).isEqualTo(Capability.Verification.VALID);
    assertThat(passed.verify(x -> x == A.address() ? A : null)).isEqualTo(Capability.Verification.UNKNOWN_SIGNER);
    byte[] bytes = passed.toBytes();
    Capability back = Capability.read(bytes, 0, bytes.length).value();
    assertThat(back).isEqualTo(passed);
    assertThat(back.verify(ids::get)).isEqualTo(Capability.Verification.VALID);
    // first link not from the controller
    Capability forged = Capability.of(NWID, 77, 9, List.of(Rule.accept()), 1).sign(B, c.address());
    assertThat(forged.verify(ids::get)).isEqualTo(Capability.Verification.INVALID);
    // link not from the previous holder
    Capability skip = cap.sign(c, B.address());
    assertThat(skip.verify(x -> x == c.address() ? c : ids.get(x))).isEqualTo(Capability.Verification.INVALID);
    assertThatThrownBy(() -> cap.sign(B, c.address()).sign(c, A.address()).sign(A, B.address()))
        .isInstanceOf(IllegalStateException.class);
    // bad max chain length on the wire
    bytes[8 + 8 + 4 + 2 + 2 + 4 + 2] = 8;
    assertThatThrownBy(() -> Capability.read(bytes, 0, bytes.length)).isInstanceOf(WireFormatException.class);
  }

  @Test
  void cooAndRevocationRoundTrip() {
    CertificateOfOwnership coo = CertificateOfOwnership.of(NWID, 1, 0, 1,
        List.of(CertificateOfOwnership.Thing.mac(0x02112233445566L & 0xffffffffffffL),
            CertificateOfOwnership.Thing.ip(IpPrefix.parseIp("fd00::1"))), B.address()).sign(A);
    byte[] cb = coo.toBytes();
    CertificateOfOwnership cback = CertificateOfOwnership.read(cb, 0, cb.length).value();
    assertThat(cback).isEqualTo(coo);
    assertThat(cback.verify(A)).isTrue();
    assertThat(cback.ownsMac(0x112233445566L)).isTrue();
    assertThat(cback.ownsMac(0x112233445567L)).isFalse();
    assertThat(cback.ownsIp(IpPrefix.parseIp("fd00::1"))).isTrue();

    Revocation r = Revocation.of(3, NWID, 0, 999, Revocation.FLAG_FAST_PROPAGATE, B.address(),
        Revocation.CREDENTIAL_COM).sign(A);
    byte[] rb = r.toBytes();
    assertThat(rb).hasSize(4 + 4 + 8 + 4 + 4 + 8 + 8 + 5 + 5 + 1 + 3 + 96 + 2);
    Revocation rback = Revocation.read(rb, 0, rb.length).value();
    assertThat(rback).isEqualTo(r);
    assertThat(rback.verify(A)).isTrue();
    assertThat(rback.fastPropagate()).isTrue();
    rb[30] ^= 1; // threshold
    assertThat(Revocation.read(rb, 0, rb.length).value().verify(A)).isFalse();
  }
}
