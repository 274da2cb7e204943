package io.jasynq.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README quotes this example and names the version that {@code ./mvnw install} installs. */
class ReadmeTest {
  private static final Path ROOT = Path.of("../..");

  @Test
  void theServerAndSchedulerSectionQuotesTheWorkerVerbatim() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String section = readme.substring(readme.indexOf("## A worker process"));
    String quote = codeBlocks(section, "java").get(0);
    String source =
        Files.readString(Path.of("src/main/java/io/jasynq/examples/worker/Worker.java"));

    assertThat(unindent(source)).contains(unindent(quote));
  }

  @Test
  void theDependencyBlocksNameTheBuildsVersionOnce() throws IOException {
    String version = System.getProperty("jasynq.version");
    assertThat(version).as("set by the pom").isNotBlank();
    String readme = Files.readString(ROOT.resolve("README.md"));
    String section = readme.substring(readme.indexOf("## Use it in your own build"));
    String maven = codeBlocks(section, "xml").get(0);
    String gradle = codeBlocks(section, "kotlin").get(0);

    assertThat(maven).contains("<jasynq.version>" + version + "</jasynq.version>");
    assertThat(count(maven, version)).isEqualTo(1);
    assertThat(gradle).contains("platform(\"io.jasynq:jasynq-bom:" + version + "\")");
    assertThat(count(gradle, version)).isEqualTo(1);
    assertThat(Files.readString(ROOT.resolve("jasynq-bom/pom.xml")))
        .contains("<artifactId>jasynq-bom</artifactId>\n  <version>" + version + "</version>");
  }

  @Test
  void everyRunItCommandNamesAnExampleModule() throws IOException {
    for (String doc : List.of("README.md", "examples/README.md")) {
      Matcher m =
          Pattern.compile("-pl (examples/[a-z-]+) -am compile exec:java")
              .matcher(Files.readString(ROOT.resolve(doc)));
      int found = 0;
      while (m.find()) {
        found++;
        assertThat(ROOT.resolve(m.group(1)).resolve("pom.xml")).as(doc).isRegularFile();
      }
      assertThat(found).as(doc).isPositive();
    }
  }

  private static List<String> codeBlocks(String markdown, String language) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).as("```%s blocks", language).isNotEmpty();
    return blocks;
  }

  private static String unindent(String code) {
    return code.lines().map(String::strip).reduce("", (a, b) -> a + b + "\n");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
