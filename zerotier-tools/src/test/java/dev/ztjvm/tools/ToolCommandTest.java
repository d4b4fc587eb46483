package dev.ztjvm.tools;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Base of the command tests: runs zerotier-tools in process and keeps the last run's standard output and error. */
abstract class ToolCommandTest {

  /** Standard output of the last {@link #run}. */
  String out = "";
  /** Standard error of the last {@link #run}. */
  String err = "";

  /** Runs {@code zerotier-tools args...}; returns the exit status. */
  int run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = ZeroTierTool.execute(new PrintWriter(o), new PrintWriter(e), args);
    out = o.toString();
    err = e.toString();
    return code;
  }
}
