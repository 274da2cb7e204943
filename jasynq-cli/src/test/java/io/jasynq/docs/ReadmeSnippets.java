package io.jasynq.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ```java} blocks of a Markdown file, each wrapped into a class that javac can compile.
 *
 * <p>A block is the body of a method {@code snippet() throws Exception} of an abstract class with
 * {@link #IMPORTS}, so statements, local classes, records and annotated test classes all compile as
 * written; {@code import} lines in a block join the class's imports. Context the reader does not
 * need goes in a marker right before the fence (blank lines between are allowed):
 *
 * <ul>
 *   <li>{@code <!-- snippet: given Client client; String taskId; abstract void alert(Throwable e);
 *       -->}: member declarations pasted into the class as written (fields, abstract methods,
 *       nested types);
 *   <li>{@code <!-- snippet: skip REASON -->}: the block is not compiled; the reason is required.
 * </ul>
 */
final class ReadmeSnippets {
  static final List<String> IMPORTS =
      List.of(
          "io.jasynq.*",
          "io.jasynq.redis.*",
          "io.jasynq.testkit.*",
          "java.nio.file.*",
          "java.time.*",
          "java.util.*",
          "java.util.concurrent.*",
          "static io.jasynq.TaskOption.*",
          "io.lettuce.core.RedisClient",
          "io.lettuce.core.RedisURI",
          "io.lettuce.core.cluster.RedisClusterClient",
          "org.junit.jupiter.api.Test");

  private static final String MARKER_START = "<!-- snippet:";
  private static final Pattern IMPORT = Pattern.compile("\\s*(import\\s+[\\w.*\\s]+;)\\s*");
  private static final Pattern MARKER_KIND =
      Pattern.compile("(given|skip)\\b\\s*(.*)", Pattern.DOTALL);

  private ReadmeSnippets() {}

  /**
   * One {@code ```java} block.
   *
   * @param fenceLine the 1-based line of the opening fence
   * @param markerLine the 1-based line where its marker starts, or 0 without one
   */
  record Snippet(int fenceLine, int markerLine, List<String> code, String given, String skip) {
    String className() {
      return "ReadmeLine" + fenceLine;
    }

    /** The README line of a line of {@link #source()}; the marker's line for the wrapper's own. */
    int readmeLine(long sourceLine) {
      long index = sourceLine - firstCodeLine();
      return index >= 0 && index < code.size()
          ? (int) (fenceLine + 1 + index)
          : Math.max(markerLine, fenceLine);
    }

    String source() {
      StringBuilder s = new StringBuilder("package readme;\n");
      IMPORTS.forEach(i -> s.append("import ").append(i).append(";\n"));
      code.stream()
          .map(IMPORT::matcher)
          .filter(Matcher::matches)
          .forEach(m -> s.append(m.group(1)).append('\n'));
      s.append("abstract class ").append(className()).append(" {\n");
      s.append(given.replace('\n', ' ')).append('\n');
      s.append("void snippet() throws Exception {\n");
      code.forEach(line -> s.append(IMPORT.matcher(line).matches() ? "" : line).append('\n'));
      return s.append("}\n}\n").toString();
    }

    private long firstCodeLine() {
      long importLines = code.stream().filter(line -> IMPORT.matcher(line).matches()).count();
      return 1 + IMPORTS.size() + importLines + 4;
    }
  }

  /**
   * Every {@code ```java} block of {@code markdown}; fails on unclosed fences and stray markers.
   */
  static List<Snippet> parse(List<String> markdown) {
    List<Snippet> snippets = new ArrayList<>();
    int markers = 0;
    for (int i = 0; i < markdown.size(); i++) {
      String line = markdown.get(i).strip();
      markers += line.startsWith(MARKER_START) ? 1 : 0;
      if (!line.startsWith("```")) {
        continue;
      }
      int close = closingFence(markdown, i);
      if (line.equals("```java")) {
        snippets.add(snippet(markdown, i, close));
      }
      i = close;
    }
    long marked = snippets.stream().filter(s -> s.markerLine() > 0).count();
    if (marked != markers) {
      throw new IllegalStateException(
          (markers - marked)
              + " '"
              + MARKER_START
              + "' marker(s) not right before a ```java fence");
    }
    return snippets;
  }

  private static int closingFence(List<String> markdown, int open) {
    for (int j = open + 1; j < markdown.size(); j++) {
      if (markdown.get(j).strip().equals("```")) {
        return j;
      }
    }
    throw new IllegalStateException("line " + (open + 1) + ": the fence is never closed");
  }

  private static Snippet snippet(List<String> markdown, int open, int close) {
    List<String> code = List.copyOf(markdown.subList(open + 1, close));
    int end = open - 1;
    while (end >= 0 && markdown.get(end).isBlank()) {
      end--;
    }
    if (end < 0 || !markdown.get(end).strip().endsWith("-->")) {
      return new Snippet(open + 1, 0, code, "", null);
    }
    int start = end;
    while (start > 0 && !markdown.get(start).contains("<!--")) {
      start--;
    }
    String comment = String.join("\n", markdown.subList(start, end + 1)).strip();
    if (!comment.startsWith(MARKER_START)) {
      return new Snippet(open + 1, 0, code, "", null);
    }
    String body = comment.substring(MARKER_START.length(), comment.length() - 3).strip();
    Matcher kind = MARKER_KIND.matcher(body);
    if (!kind.matches() || kind.group(2).isBlank()) {
      throw new IllegalStateException(
          "line "
              + (start + 1)
              + ": a marker is 'given DECLARATIONS' or 'skip REASON', was: "
              + body);
    }
    boolean skip = kind.group(1).equals("skip");
    return new Snippet(
        open + 1, start + 1, code, skip ? "" : kind.group(2), skip ? kind.group(2) : null);
  }
}
