package dev.ztjvm.tools;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The second process of {@link ControllerConcurrentWritersTest}: runs {@code zerotier-tools controller member
 * authorize} (the command line's own code path, a fresh store each time) {@code count} times against a data directory,
 * alternating de-authorization and authorization and adding IP {@code 10.200.<i/250>.<i%250+1>} each time, so every
 * run changes the record.
 *
 * <p>Arguments: data directory, network ID, member address, count. Exits non-zero at the first failed command.
 */
public final class CliWriterMain {

  private CliWriterMain() {}

  public static void main(String[] args) {
    String data = args[0];
    String nwid = args[1];
    String member = args[2];
    int count = Integer.parseInt(args[3]);
    System.out.println("started");
    System.out.flush();
    for (int i = 0; i < count; i++) {
      String ip = "10.200." + (i / 250) + "." + (i % 250 + 1);
      StringWriter err = new StringWriter();
      int code = i % 2 == 0
          ? ZeroTierTool.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
              "controller", "member", "authorize", data, nwid, member, "--ip", ip, "--deauthorize")
          : ZeroTierTool.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
              "controller", "member", "authorize", data, nwid, member, "--ip", ip);
      if (code != 0) {
        System.err.println("run " + i + " failed (" + code + "): " + err);
        System.exit(1);
      }
    }
    System.out.println("done " + count);
  }
}
