package dev.ztjvm.tools;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code zerotier-tools.jar}: one command with a subcommand per task, modelled on
 * {@code zerotier-idtool}. Usage errors print the usage and exit with status 2.
 */
@Command(name = "zerotier-tools", mixinStandardHelpOptions = true, versionProvider = ZeroTierTool.Version.class, description = "ZeroTier for the JVM command line tools.", subcommands = {
    IdentityCommand.class, PlanetCommand.class, DecodeCommand.class, RootCommand.class,
    ControllerCommand.class, NodeCommand.class, ExamplesCommand.class, RelayCommand.class, HttpCommand.class,
    IperfCommand.class, ControllerStoreCommand.class})
public final class ZeroTierTool extends GroupCommand {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the tool and returns its exit status instead of exiting (tests call this). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** Runs the tool with the given output and error writers (flushed before returning); returns its exit status. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The configured command line: usage errors exit 2 with usage; failures of a command (unreadable or invalid files,
   * I/O errors) print one line naming the problem and exit 1, without a stack trace.
   */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ZeroTierTool());
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      String msg = ex.getMessage();
      commandLine.getErr().println("error: " + (msg == null ? ex.getClass().getSimpleName() : msg));
      return 1;
    });
    return cl;
  }

  /** The jar's version, or {@code development} when run from classes. */
  static String version() {
    String v = ZeroTierTool.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"zerotier-tools " + version()};
    }
  }
}
