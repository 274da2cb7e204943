package io.jasynq.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every library function a script calls is in the source it is sent as: the script lists, in {@link
 * Script}, each {@code lib_*.lua} whose functions it (or a library before it) uses. Redis would
 * only refuse a missing one when the call is reached, on the path that needs it.
 */
class ScriptLibrariesTest {
  private static final Pattern DEFINITION = Pattern.compile("local function (\\w+)\\(");

  @ParameterizedTest
  @EnumSource(Script.class)
  void callsOnlyLibraryFunctionsItsSourceDefinesBeforeTheCall(Script script) throws Exception {
    String source = code(new String(script.source(), StandardCharsets.UTF_8));
    for (String function : libraryFunctions()) {
      Matcher call = Pattern.compile("(?<![\\w.:])" + function + "\\(").matcher(source);
      if (!call.find()) {
        continue;
      }
      int defined = source.indexOf("local function " + function + "(");
      assertThat(defined)
          .as("%s calls %s without the library that defines it", script, function)
          .isNotNegative();
      assertThat(call.start())
          .as("%s calls %s before the library that defines it", script, function)
          .isEqualTo(defined + "local function ".length());
    }
  }

  /** The functions the {@code lib_*.lua} files define. */
  private static List<String> libraryFunctions() throws IOException, URISyntaxException {
    Path scripts = Path.of(Script.class.getResource("/io/jasynq/scripts/").toURI());
    List<Path> libraries;
    try (Stream<Path> files = Files.list(scripts)) {
      libraries = files.filter(f -> f.getFileName().toString().startsWith("lib_")).toList();
    }
    assertThat(libraries).isNotEmpty();
    List<String> names = new ArrayList<>();
    for (Path library : libraries) {
      Matcher m = DEFINITION.matcher(Files.readString(library, StandardCharsets.UTF_8));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The source without its comment lines, which name functions without calling them. */
  private static String code(String source) {
    StringBuilder code = new StringBuilder();
    for (String line : source.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        code.append(line).append('\n');
      }
    }
    return code.toString();
  }
}
