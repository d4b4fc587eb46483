package dev.ztjvm.tools;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.identity.InvalidIdentityFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code identity} subcommands, modelled on {@code zerotier-idtool}: generate, validate, public, sign, verify. Exit
 * status: 0 success / valid, 1 invalid or failed (with the reason on stderr), 2 bad arguments (with usage).
 */
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Create, check and use ZeroTier identities (identity.secret / identity.public files).", subcommands = {
    IdentityCommand.Generate.class,
    IdentityCommand.Validate.class,
    IdentityCommand.Public.class,
    IdentityCommand.Sign.class,
    IdentityCommand.Verify.class
})
final class IdentityCommand extends GroupCommand {

  @Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate a new identity (uses all cores), write it and print its address.")
  static final class Generate extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<secret-file>", description = "where to write identity.secret") Path secretFile;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<public-file>", description = "where to write identity.public") Path publicFile;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = err();
      if (Files.exists(secretFile)) {
        err.println(secretFile + ": already exists (refusing to overwrite an identity)");
        return 1;
      }
      if (publicFile != null && Files.exists(publicFile)) {
        err.println(publicFile + ": already exists (refusing to overwrite)");
        return 1;
      }
      Identity id = Identity.generate();
      createParent(secretFile); // e.g. a node's storage directory given as cli/identity.secret
      IdentityStore.writeSecretFile(secretFile, id);
      if (publicFile != null) {
        createParent(publicFile);
        IdentityStore.writePublicFile(publicFile, id);
      }
      out().println(id.addressString());
      return 0;
    }

    private static void createParent(Path file) throws IOException {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check an identity file (public or secret form): exit 0 if valid, 1 if not, with the reason.")
  static final class Validate extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<file>") Path file;

    @Override
    public Integer call() throws IOException {
      try {
        Identity id = IdentityStore.readFile(file);
        out().println(file + ": valid identity " + id.addressString()
            + (id.hasSecret() ? " (with private key)" : ""));
        return 0;
      } catch (InvalidIdentityFileException e) {
        err().println(e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "public", mixinStandardHelpOptions = true, description = "Print the public form (identity.public content) of an identity file.")
  static final class Public extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<secret-file>") Path file;

    @Override
    public Integer call() throws IOException {
      out().println(IdentityStore.readFile(file).toPublicString());
      return 0;
    }
  }

  @Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign a file; prints the 96-byte ZeroTier signature in hex.")
  static final class Sign extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<secret-file>") Path secretFile;

    @Parameters(index = "1", paramLabel = "<file>") Path file;

    @Override
    public Integer call() throws IOException {
      Identity id = IdentityStore.readSecretFile(secretFile);
      byte[] msg = Files.readAllBytes(file);
      out().println(HexFormat.of().formatHex(id.sign(msg)));
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify a signature of a file: exit 0 if valid, 1 if not.")
  static final class Verify extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<public-file>") Path publicFile;

    @Parameters(index = "1", paramLabel = "<file>") Path file;

    @Parameters(index = "2", paramLabel = "<hex>", description = "the signature (192 hex digits)") String signatureHex;

    @Override
    public Integer call() throws IOException {
      byte[] sig;
      try {
        sig = HexFormat.of().parseHex(signatureHex.strip());
      } catch (IllegalArgumentException e) {
        throw usageError("<hex> is not a hex string");
      }
      Identity id = IdentityStore.readFile(publicFile);
      byte[] msg = Files.readAllBytes(file);
      if (id.verify(msg, sig)) {
        out().println("signature valid (" + id.addressString() + ")");
        return 0;
      }
      err().println("signature invalid");
      return 1;
    }
  }
}
