package dev.ztjvm.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code zerotier-tools.jar}: one command with a subcommand per task, modelled on
 * {@code zerotier-idtool}. Usage errors print the usage and exit with status 2.
 */
@Command(
    name = "zerotier-tools",
    mixinStandardHelpOptions = true,
    versionProvider = ZeroTierTool.Version.class,
    description = "ZeroTier for the JVM command line tools.",
    subcommands = {})
public final class ZeroTierTool implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the tool and returns its exit status instead of exiting (tests call this). */
  public static int execute(String... args) {
    return new CommandLine(new ZeroTierTool()).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ZeroTierTool.class.getPackage().getImplementationVersion();
      return new String[] {"zerotier-tools " + (v == null ? "development" : v)};
    }
  }
}
