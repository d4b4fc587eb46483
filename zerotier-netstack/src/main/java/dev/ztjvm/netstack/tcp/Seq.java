package dev.ztjvm.netstack.tcp;

/** Modulo-2^32 sequence-number comparisons (RFC 9293 section 3.4). */
final class Seq {
  private Seq() {}

  static boolean lt(int a, int b) {
    return a - b < 0;
  }

  static boolean le(int a, int b) {
    return a - b <= 0;
  }

  static boolean gt(int a, int b) {
    return a - b > 0;
  }

  static boolean ge(int a, int b) {
    return a - b >= 0;
  }

  static int max(int a, int b) {
    return gt(a, b) ? a : b;
  }

  static int min(int a, int b) {
    return lt(a, b) ? a : b;
  }
}
