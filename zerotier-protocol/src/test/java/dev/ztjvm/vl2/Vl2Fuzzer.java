package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.WireFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Seeded mutation fuzzing of every VL2 parser: each must return a value or throw {@link WireFormatException}, never
 * anything else. Shared by the short CI test and the long {@code fuzz}-tagged run.
 */
final class Vl2Fuzzer {
  private final List<byte[]> dictionaries = new ArrayList<>();
  private final List<byte[]> chunks = new ArrayList<>();
  private final List<byte[]> credentials = new ArrayList<>();
  private final List<byte[]> requests = new ArrayList<>();
  private final Identity controller;
  private final Identity member;
  private final Identity capturedController = Vl2TestData.capturedIdentity("controller", false);

  Vl2Fuzzer() {
    JsonNode v = SharedData.vectorJson("vl2.json");
    Identity a = Vl2TestData.vectorIdentity("A");
    Identity b = Vl2TestData.vectorIdentity("B");
    controller = a.publicOnly();
    member = b;
    byte[] cfg = SharedData.hex(v.get("network_config").get("dictionary_hex").asString());
    dictionaries.add(cfg);
    dictionaries.add(SharedData.hex(v.get("dictionary_example").get("serialized_hex").asString()));
    for (JsonNode p : Vl2TestData.capturedPackets("01-run1.lo.jsonl", "NETWORK_CONFIG")) {
      byte[] payload = SharedData.hex(p.get("plaintext_payload_hex").asString());
      chunks.add(payload);
      ConfigChunk c = ConfigChunk.parse(payload, 0, payload.length);
      dictionaries.add(c.data());
    }
    byte[] pkt = SharedData.hex(v.get("network_config").get("ok_network_config_request_plaintext_packet").asString());
    chunks.add(Arrays.copyOfRange(pkt, 37, pkt.length));
    for (JsonNode p : Vl2TestData.capturedPackets("01-run1.lo.jsonl", "NETWORK_CREDENTIALS")) {
      credentials.add(SharedData.hex(p.get("plaintext_payload_hex").asString()));
      break;
    }
    for (JsonNode p : Vl2TestData.capturedPackets("01-run1.lo.jsonl", "NETWORK_CONFIG_REQUEST")) {
      requests.add(SharedData.hex(p.get("plaintext_payload_hex").asString()));
      break;
    }
    NetworkConfig nc = NetworkConfig.parse(cfg);
    credentials.add(nc.com().toBytes());
    credentials.add(nc.tags().get(0).toBytes());
    credentials.add(nc.certificatesOfOwnership().get(0).toBytes());
    credentials.add(Capability.of(nc.networkId(), 1, 2, List.of(Rule.matchEthertype(0x800), Rule.tee(5, 0, 0),
        Rule.matchIntegerRange(1, 2, 3, 16, true), Rule.accept()), 2).sign(a, b.address()).toBytes());
    credentials.add(Revocation.of(1, nc.networkId(), 0, 5, 1, b.address(), 1).sign(a).toBytes());
  }

  /** Runs {@code n} mutated inputs starting from {@code seed}; returns how many parsed successfully. */
  long run(long seed, int n) {
    Random rnd = new Random(seed);
    long ok = 0;
    for (int i = 0; i < n; i++) {
      int kind = i % 4;
      List<byte[]> pool = switch (kind) {
        case 0 -> dictionaries;
        case 1 -> chunks;
        case 2 -> credentials;
        default -> requests;
      };
      byte[] input = mutate(pool.get(rnd.nextInt(pool.size())), rnd);
      final int k = kind;
      final byte[] in = input;
      ok += guard(seed, i, in, () -> parseAll(k, in));
    }
    return ok;
  }

  private int guard(long seed, int i, byte[] input, Runnable r) {
    try {
      r.run();
      return 1;
    } catch (WireFormatException expected) {
      return 0;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("seed " + seed + " case " + i + " input " + SharedData.hex(input) + ": " + e, e);
    }
  }

  private void parseAll(int kind, byte[] in) {
    switch (kind) {
      case 0 -> {
        Dictionary d = Dictionary.parse(in);
        assertThat(Dictionary.parse(d.toBytes())).isEqualTo(d);
        NetworkConfig nc = NetworkConfig.fromDictionary(d);
        // whatever parsed must serialise and parse back to the same model
        assertThat(NetworkConfig.parse(nc.toBytes())).isEqualTo(nc);
        RuleEngine e = new RuleEngine(1, () -> 0);
        byte[] frame = Arrays.copyOf(in, Math.min(in.length, 200));
        e.filterInbound(new RuleEngine.Context(nc.effectiveRules(), List.of(), nc.localTagLookup(), null,
            nc.localOwnership(), nc.flags()), 2, 1, 3, 4, 0x800, 0, frame, 0, frame.length, new FilterResult());
      }
      case 1 -> {
        ConfigChunk c = ConfigChunk.parse(in, 0, in.length);
        c.verify(controller);
        new ConfigAssembler(0xea7ca3b1d7000001L, member.address(), capturedController)
            .offer(c, c.networkId() >>> 24, 1);
      }
      case 2 -> {
        consumeOrFail(b -> CertificateOfMembership.read(b, 0, b.length), in);
        consumeOrFail(b -> Tag.read(b, 0, b.length), in);
        consumeOrFail(b -> CertificateOfOwnership.read(b, 0, b.length), in);
        consumeOrFail(b -> Capability.read(b, 0, b.length), in);
        consumeOrFail(b -> Revocation.read(b, 0, b.length), in);
        consumeOrFail(b -> Rule.parseList(b, 0, b.length, 1024), in);
        consumeOrFail(b -> NetworkCredentials.parse(b, 0, b.length), in);
      }
      default -> ConfigRequest.parse(in, 0, in.length);
    }
  }

  /** Each credential parser is tried independently: its own format error must not hide another's bug. */
  private static void consumeOrFail(Consumer<byte[]> parser, byte[] in) {
    try {
      parser.accept(in);
    } catch (WireFormatException expected) {
      // fine
    }
  }

  static byte[] mutate(byte[] src, Random rnd) {
    byte[] b = src.clone();
    int ops = 1 + rnd.nextInt(4);
    for (int o = 0; o < ops; o++) {
      if (b.length == 0) {
        b = new byte[] {(byte) rnd.nextInt(256)};
      }
      switch (rnd.nextInt(8)) {
        case 0 -> b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        case 1 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
        case 3 -> { // insert random bytes
          int at = rnd.nextInt(b.length + 1);
          byte[] ins = new byte[1 + rnd.nextInt(8)];
          rnd.nextBytes(ins);
          byte[] n = new byte[b.length + ins.length];
          System.arraycopy(b, 0, n, 0, at);
          System.arraycopy(ins, 0, n, at, ins.length);
          System.arraycopy(b, at, n, at + ins.length, b.length - at);
          b = n;
        }
        case 4 -> { // delete a range
          int at = rnd.nextInt(b.length);
          int len = Math.min(b.length - at, 1 + rnd.nextInt(16));
          byte[] n = new byte[b.length - len];
          System.arraycopy(b, 0, n, 0, at);
          System.arraycopy(b, at + len, n, at, b.length - at - len);
          b = n;
        }
        case 5 -> { // interesting values in a 16-bit field
          int at = rnd.nextInt(b.length);
          int[] vals = {0, 0xff, 0x7f, 0x80};
          b[at] = (byte) vals[rnd.nextInt(vals.length)];
          if (at + 1 < b.length) {
            b[at + 1] = (byte) vals[rnd.nextInt(vals.length)];
          }
        }
        case 6 -> { // special dictionary characters
          byte[] sp = {'\n', '\r', '=', '\\', 0, 'e', '0'};
          b[rnd.nextInt(b.length)] = sp[rnd.nextInt(sp.length)];
        }
        default -> { // duplicate a slice
          int at = rnd.nextInt(b.length);
          int len = Math.min(b.length - at, 1 + rnd.nextInt(32));
          byte[] n = Arrays.copyOf(b, b.length + len);
          System.arraycopy(b, at, n, b.length, len);
          b = n;
        }
      }
    }
    return b;
  }
}
