package dev.ztjvm.tools;

import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The commands' JSON output through Jackson: values (records, in their components' order) printed with two-space
 * indentation, {@code "name": value}, and one array element per line, as zerotier-one's own tools print JSON.
 */
final class JsonOutput {

  private static final ObjectWriter WRITER;

  static {
    Separators separators = Separators.createDefaultInstance()
        .withObjectNameValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("")
        .withArrayEmptySeparator("");
    DefaultIndenter lines = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
    printer.indentObjectsWith(lines);
    printer.indentArraysWith(lines);
    WRITER = JsonMapper.builder().build().writer().with(printer);
  }

  private JsonOutput() {}

  /** {@code value} as indented JSON text (no trailing newline). */
  static String of(Object value) {
    return WRITER.writeValueAsString(value);
  }
}
