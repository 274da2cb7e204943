package io.jasynq.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.jasynq.docs.ReadmeSnippets.Snippet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the README compiles against the current API (see {@link
 * ReadmeSnippets} for the markers that give a block context the reader does not need).
 */
class ReadmeSnippetsTest {
  @TempDir Path classes;

  @Test
  void everyJavaSnippetOfTheReadmeCompiles() throws IOException {
    Path readme = Path.of("").toAbsolutePath().resolveSibling("README.md");
    assertThat(readme).as("the README, beside the module's directory").isRegularFile();
    List<Snippet> snippets = ReadmeSnippets.parse(Files.readAllLines(readme));

    List<String> errors = compile(snippets, "README.md");

    assertThat(snippets).as("```java blocks in %s", readme).isNotEmpty();
    if (!errors.isEmpty()) {
      fail("README snippets that do not compile:\n" + String.join("\n", errors));
    }
  }

  @Test
  void reportsEveryBrokenSnippetWithItsLineAndTheCompilersMessage() {
    List<String> markdown =
        List.of(
            "# Title", //
            "```java",
            "int answer = …;", // a syntax error must not hide the other snippet's errors
            "```",
            "",
            "```java",
            "String ok = \"fine\";",
            "int wrong = ok;",
            "```");

    List<String> errors = compile(ReadmeSnippets.parse(markdown), "DOC.md");

    assertThat(errors).hasSize(2);
    assertThat(errors.get(0)).startsWith("DOC.md line 3: illegal character: '\\u2026'");
    assertThat(errors.get(1)).startsWith("DOC.md line 8: incompatible types");
  }

  @Test
  void compilesImportsClassesAndGivenContextAndSkipsMarkedBlocks() {
    List<String> markdown =
        List.of(
            "<!-- snippet: given Client client; abstract byte[] load(String id); -->",
            "```java",
            "import java.nio.charset.StandardCharsets;",
            "client.enqueue(Task.of(\"t\", load(\"x\")), queue(\"q\"), processIn(Duration.ZERO));",
            "String s = new String(load(\"y\"), StandardCharsets.UTF_8);",
            "```",
            "<!-- snippet: skip pseudo-code -->",
            "",
            "```java",
            "this is not Java",
            "```",
            "```java",
            "@RedisTest",
            "class MyTest {",
            "  @Test void runs(RedisServer redis, FakeClock clock) { /* a test */ }",
            "}",
            "```");

    List<Snippet> snippets = ReadmeSnippets.parse(markdown);

    assertThat(snippets).extracting(Snippet::skip).containsExactly(null, "pseudo-code", null);
    assertThat(compile(snippets, "DOC.md")).isEmpty();
  }

  @Test
  void rejectsMarkersThatAreUnknownOrNotBeforeAFence() {
    assertThatThrownBy(
            () -> ReadmeSnippets.parse(List.of("<!-- snippet: vars int x -->", "```java", "```")))
        .hasMessageContaining("line 1: a marker is 'given DECLARATIONS' or 'skip REASON'");
    assertThatThrownBy(() -> ReadmeSnippets.parse(List.of("<!-- snippet: skip why -->", "text")))
        .hasMessageContaining("not right before a ```java fence");
    assertThatThrownBy(() -> ReadmeSnippets.parse(List.of("```java", "int x;")))
        .hasMessageContaining("line 1: the fence is never closed");
  }

  private List<String> compile(List<Snippet> snippets, String name) {
    try (SnippetCompiler javac = new SnippetCompiler(classes)) {
      return javac.errors(snippets.stream().filter(s -> s.skip() == null).toList(), name);
    }
  }
}
