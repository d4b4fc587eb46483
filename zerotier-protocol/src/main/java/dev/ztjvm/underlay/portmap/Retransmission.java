package dev.ztjvm.underlay.portmap;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait for each protocol's answer: the first timeout, doubled after every try, for at most {@code
 * attempts} tries. The RFCs' schedules are the defaults; PCP's is bounded here (RFC 6887 section 8.1.1 lets a
 * client stop after a maximum retransmission count) so a gateway that never answers costs under a minute.
 *
 * @param pcpInitial PCP's initial retransmission time (IRT, 3 s)
 * @param pcpAttempts PCP tries before giving up (RFC: unlimited; here 4: 3 + 6 + 12 + 24 s)
 * @param natPmpInitial NAT-PMP's first wait (250 ms, RFC 6886 section 3.1)
 * @param natPmpAttempts NAT-PMP tries (9, section 3.1: 250 ms doubled up to 64 s)
 */
public record Retransmission(Duration pcpInitial, int pcpAttempts, Duration natPmpInitial, int natPmpAttempts) {

  public static final Retransmission RFC = new Retransmission(Duration.ofSeconds(3), 4, Duration.ofMillis(250), 9);

  public Retransmission {
    Objects.requireNonNull(pcpInitial, "pcpInitial");
    Objects.requireNonNull(natPmpInitial, "natPmpInitial");
    if (pcpInitial.isNegative() || pcpInitial.isZero() || natPmpInitial.isNegative() || natPmpInitial.isZero()) {
      throw new IllegalArgumentException("retransmission timeouts must be positive: " + pcpInitial + ", "
          + natPmpInitial);
    }
    if (pcpAttempts < 1 || natPmpAttempts < 1 || pcpAttempts > 16 || natPmpAttempts > 16) {
      throw new IllegalArgumentException("retransmission attempts must be 1..16: pcp " + pcpAttempts + ", nat-pmp "
          + natPmpAttempts);
    }
  }
}
