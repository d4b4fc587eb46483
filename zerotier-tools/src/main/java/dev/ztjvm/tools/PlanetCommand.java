package dev.ztjvm.tools;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.vl1.InetAddresses;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code planet create} and {@code planet show}: make a signed private planet (or moon), as ZeroTier's {@code mkworld}
 * and libzt's {@code zts_util_sign_root_set} do, and print a world file as JSON.
 */
@Command(name = "planet", mixinStandardHelpOptions = true, description = "Create and inspect planet / moon files (signed root sets).", subcommands = {
    PlanetCommand.Create.class, PlanetCommand.Show.class})
final class PlanetCommand extends GroupCommand {

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create and sign a world file with the given roots. The signing key file (128 bytes, "
      + "public ‖ private, like mkworld's .c25519 files) is created with owner-only permissions if absent.")
  static final class Create extends ToolCommand {
    @Option(names = "--id", required = true, paramLabel = "<world-id>", description = "world ID: decimal, 0x-prefixed hex, or 16 hex digits") String id;

    @Option(names = "--root", required = true, paramLabel = "<identity.public>=<ip/port>[,<ip/port>]", description = "a root: its identity.public file (or identity string) and stable endpoints; repeat for up to 4") List<String> roots;

    @Option(names = "--signing-key", required = true, paramLabel = "<file>") Path signingKey;

    @Option(names = "--out", required = true, paramLabel = "<file>") Path outFile;

    @Option(names = "--timestamp", paramLabel = "<ms>", description = "revision timestamp (default: now)") Long timestamp;

    @Option(names = "--moon", description = "create a moon (type 127) instead of a planet") boolean moon;

    @Override
    public Integer call() throws IOException {
      long worldId = parseWorldId(id);
      List<World.Root> rootList = new ArrayList<>();
      for (String r : roots) {
        rootList.add(parseRoot(r));
      }
      if (rootList.size() > World.MAX_ROOTS) {
        throw usageError("at most " + World.MAX_ROOTS + " roots");
      }
      WorldSigningKey key = loadOrCreateKey(signingKey);
      long ts = timestamp != null ? timestamp : System.currentTimeMillis();
      World w = World.sign(moon ? World.Type.MOON : World.Type.PLANET, worldId, ts, key.publicKey(), rootList, key);
      Files.write(outFile, w.serialize());
      out().println("wrote " + outFile + ": " + (moon ? "moon " : "planet ")
          + String.format("%016x", worldId) + " timestamp " + ts + ", " + rootList.size() + " root(s), "
          + w.serialize().length + " bytes");
      return 0;
    }

    private World.Root parseRoot(String root) throws IOException {
      int eq = root.lastIndexOf('=');
      if (eq <= 0) {
        throw usageError("--root must be <identity.public>=<ip/port>[,<ip/port>]: " + root);
      }
      String who = root.substring(0, eq);
      Identity identity;
      Path file = Path.of(who);
      if (Files.isRegularFile(file)) {
        identity = IdentityStore.readFile(file);
      } else {
        try {
          identity = Identity.parse(who);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--root: " + who + " is neither a readable file nor an identity ("
              + e.getMessage() + ")", e);
        }
      }
      if (!identity.locallyValidate()) {
        throw new IllegalArgumentException("--root: identity " + identity.addressString() + " is not valid");
      }
      List<InetSocketAddress> endpoints = new ArrayList<>();
      for (String e : root.substring(eq + 1).split(",")) {
        if (!e.isBlank()) {
          endpoints.add(InetAddresses.parseEndpoint(e.trim()));
        }
      }
      return new World.Root(identity, endpoints);
    }
  }

  static long parseWorldId(String s) {
    try {
      if (s.startsWith("0x") || s.startsWith("0X")) {
        return Long.parseUnsignedLong(s.substring(2), 16);
      }
      if (s.length() == 16) {
        return Long.parseUnsignedLong(s, 16);
      }
      return Long.parseUnsignedLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad world ID: " + s);
    }
  }

  static WorldSigningKey loadOrCreateKey(Path file) throws IOException {
    if (Files.exists(file)) {
      return WorldSigningKey.fromBytes(Files.readAllBytes(file));
    }
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not POSIX: rely on the directory's permissions
    } catch (FileAlreadyExistsException e) {
      return WorldSigningKey.fromBytes(Files.readAllBytes(file));
    }
    Files.write(file, key.toBytes(), StandardOpenOption.TRUNCATE_EXISTING);
    return key;
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a planet or moon file as JSON.")
  static final class Show extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<file>") Path file;

    @Override
    public Integer call() throws IOException {
      World w = World.parse(Files.readAllBytes(file));
      out().println(toJson(w));
      return 0;
    }
  }

  /** What {@code planet show} prints: the world's fields as JSON. */
  @JsonPropertyOrder({"type", "id", "idDecimal", "timestamp", "updatesMustBeSignedBy", "signature", "selfSigned",
      "roots", "length"})
  record WorldJson(String type, String id, String idDecimal, long timestamp, String updatesMustBeSignedBy,
      String signature, boolean selfSigned, List<RootJson> roots, int length) {}

  /** One root of {@link WorldJson}. */
  @JsonPropertyOrder({"address", "identity", "stableEndpoints"})
  record RootJson(String address, String identity, List<String> stableEndpoints) {}

  static String toJson(World w) {
    HexFormat hex = HexFormat.of();
    List<RootJson> roots = new ArrayList<>();
    for (World.Root r : w.roots()) {
      List<String> eps = new ArrayList<>();
      for (InetSocketAddress e : r.stableEndpoints()) {
        eps.add(InetAddresses.toEndpointString(e));
      }
      roots.add(new RootJson(r.identity().addressString(), r.identity().toPublicString(), eps));
    }
    return JsonOutput.of(new WorldJson(w.type() == World.Type.PLANET ? "planet" : "moon", String.format("%016x", w
        .id()),
        Long.toUnsignedString(w.id()), w.timestamp(), hex.formatHex(w.updatesMustBeSignedBy()),
        hex.formatHex(w.signature()), w.verifySelfSigned(), roots, w.serialize().length));
  }
}
