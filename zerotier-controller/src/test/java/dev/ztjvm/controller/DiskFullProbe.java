package dev.ztjvm.controller;

import dev.ztjvm.identity.Address;
import dev.ztjvm.vl2.NetworkId;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Run by {@link DiskFullTest} inside a mount namespace on a tiny tmpfs: fills the file system, then edits a member so
 * that its record grows. Prints {@code OK} when the save failed with an I/O error, the record kept its bytes and no
 * temporary file was left; anything else is printed and the exit code is non-zero.
 */
public final class DiskFullProbe {

  private DiskFullProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path data = dir.resolve("controller.d");
    ControllerDatabase db = new ControllerDatabase(new FileControllerStore(data), Address.parse("ea7ca3b1d7"));
    long nwid = db.createNetwork(e -> e.name("full"));
    long member = Address.parse("1122334455");
    db.authorize(nwid, member, true);
    Path record = data.resolve("network").resolve(NetworkId.toString(nwid)).resolve("member/1122334455.json");
    byte[] before = Files.readAllBytes(record);
    try (OutputStream filler = Files.newOutputStream(dir.resolve("filler"))) {
      byte[] block = new byte[4096];
      while (true) {
        filler.write(block);
      }
    } catch (IOException full) {
      // the file system is full now
    }
    try {
      db.updateMember(nwid, member, m -> m.name("x".repeat(16_384)));
      System.out.println("UNEXPECTED: the save succeeded on a full disk");
      System.exit(3);
    } catch (IOException expected) {
      System.out.println("save refused: " + expected.getMessage());
    }
    List<String> left;
    try (Stream<Path> s = Files.walk(data)) {
      left = s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp")).toList();
    }
    boolean same = Arrays.equals(before, Files.readAllBytes(record));
    if (!left.isEmpty() || !same) {
      System.out.println("temporary files left: " + left + ", record unchanged: " + same);
      System.exit(4);
    }
    System.out.println("OK");
  }
}
