package dev.ztjvm.tools;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl1.decode.CaptureDecoder;
import dev.ztjvm.vl1.decode.DecodedPacket;
import dev.ztjvm.vl1.pcap.PcapReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code decode <pcap-file> --identities <dir>}: authenticates and decodes the ZeroTier packets of a capture, one line
 * per packet and a summary line. Exit status 1 if any packet with known keys failed authentication.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, description = "Decode the ZeroTier packets in a pcap file (Ethernet / Linux cooked, IPv4/IPv6 UDP) using every "
    + "identity.secret found under the identities directory.")
final class DecodeCommand extends ToolCommand {

  @Parameters(index = "0", paramLabel = "<pcap-file>") Path pcap;

  @Option(names = "--identities", required = true, paramLabel = "<dir>") Path identities;

  @Override
  public Integer call() throws IOException {
    List<Identity> known = CaptureDecoder.loadSecrets(identities);
    List<DecodedPacket> packets = new CaptureDecoder(known).decode(PcapReader.read(pcap));
    PrintWriter out = out();
    int authenticated = 0;
    int failed = 0;
    for (DecodedPacket p : packets) {
      out.println(p.toLine());
      if (p.status() == DecodedPacket.Status.AUTHENTICATED) {
        authenticated++;
      } else if (p.status() == DecodedPacket.Status.FAILED) {
        failed++;
      }
    }
    out.println("packets=" + packets.size() + " authenticated=" + authenticated + " failed=" + failed);
    return failed == 0 ? 0 : 1;
  }
}
