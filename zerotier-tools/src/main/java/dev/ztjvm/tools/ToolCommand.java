package dev.ztjvm.tools;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Spec;

/**
 * A command that does the work (a leaf of the command tree, or a command that runs without a subcommand): picocli
 * injects its spec, and the helpers write to the command line's streams (which tests capture) and report usage
 * errors (exit status 2 with usage).
 */
abstract class ToolCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  /** The command line's standard output. */
  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** The command line's standard error. */
  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** A usage error to throw: picocli prints {@code message} and the usage, and exits with status 2. */
  final CommandLine.ParameterException usageError(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
