package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import org.junit.jupiter.api.Test;

class MembershipCheckTest {
  static final Identity A = Vl2TestData.vectorIdentity("A");
  static final Identity B = Vl2TestData.vectorIdentity("B");
  static final Identity C = Vl2TestData.capturedIdentity("member1", true);
  static final long NWID = 0x4f3f5c640a000001L;

  @Test
  void gate() {
    CertificateOfMembership ours = CertificateOfMembership.issue(NWID, 100_000, 30_000, B).sign(A);
    CertificateOfMembership theirs = CertificateOfMembership.issue(NWID, 110_000, 30_000, C).sign(A);
    NetworkConfig priv = NetworkConfig.builder(NWID, B.address()).com(ours).build();
    NetworkConfig pub = priv.toBuilder().type(NetworkConfig.TYPE_PUBLIC).com(null).build();
    assertThat(MembershipCheck.passes(pub, null, C, 0)).isTrue();
    assertThat(MembershipCheck.passes(priv, null, C, 0)).isFalse();
    assertThat(MembershipCheck.passes(priv, theirs, C, 0)).isTrue();
    assertThat(MembershipCheck.passes(priv, theirs, B, 0)).isFalse(); // not C's certificate
    assertThat(MembershipCheck.passes(priv, theirs, C, 110_000)).isFalse(); // revoked up to its timestamp
    assertThat(MembershipCheck.passes(priv, theirs, C, 109_999)).isTrue();
    assertThat(MembershipCheck.passes(priv.toBuilder().com(null).build(), theirs, C, 0)).isFalse();
  }

  @Test
  void comAcceptance() {
    CertificateOfMembership older = CertificateOfMembership.issue(NWID, 100, 30_000, C).sign(A);
    CertificateOfMembership newer = CertificateOfMembership.issue(NWID, 200, 30_000, C).sign(A);
    assertThat(MembershipCheck.acceptCom(NWID, newer, older, A, 0)).isTrue();
    assertThat(MembershipCheck.acceptCom(NWID, older, newer, A, 0)).isFalse();
    assertThat(MembershipCheck.acceptCom(NWID, newer, null, A, 200)).isFalse();
    assertThat(MembershipCheck.acceptCom(NWID, CertificateOfMembership.issue(NWID, 300, 1, C).sign(B), null, B, 0))
        .isFalse(); // B is not the controller
    assertThat(MembershipCheck.acceptCom(NWID + 1, newer, null, A, 0)).isFalse();
  }

  @Test
  void credentialTimeliness() {
    NetworkConfig nc = NetworkConfig.builder(NWID, B.address()).timestamp(1_000_000).credentialTimeMaxDelta(60_000)
        .build();
    assertThat(MembershipCheck.timely(nc, 1_060_000)).isTrue();
    assertThat(MembershipCheck.timely(nc, 940_000)).isTrue();
    assertThat(MembershipCheck.timely(nc, 1_060_001)).isFalse();
    assertThat(MembershipCheck.timely(nc, 939_999)).isFalse();
  }
}
