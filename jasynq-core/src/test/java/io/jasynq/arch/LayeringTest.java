package io.jasynq.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules read from the sources: only {@code internal.broker} builds or sends Redis
 * commands (the connection package sends only SUBSCRIBE and reaches into Lettuce's channel to drop
 * a socket); sibling modules do not import {@code io.jasynq.internal}. The package edges between
 * compiled classes are checked by {@link PackageEdgesTest}.
 */
class LayeringTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path MAIN = MODULE.resolve("src/main/java/io/jasynq");

  /** Connection plumbing that uses Lettuce's lower layers without sending data commands. */
  private static final Map<String, List<String>> PLUMBING =
      Map.of(
          ".async()",
          List.of(
              "internal/connection/Subscription.java", "internal/connection/SentinelWatch.java"),
          "io.lettuce.core.protocol",
          List.of(
              "internal/connection/RedisConnection.java",
              "internal/connection/LazySyncRedisClient.java"));

  @Test
  void onlyBrokerBuildsOrDispatchesRedisCommands() throws IOException {
    for (String command :
        List.of("io.lettuce.core.protocol", ".sync()", ".async()", ".reactive()", "dispatch(")) {
      List<String> allowed = new ArrayList<>(List.of("internal/broker/"));
      allowed.addAll(PLUMBING.getOrDefault(command, List.of()));
      assertThat(offenders(MAIN, command, allowed.toArray(String[]::new))).as(command).isEmpty();
    }
  }

  @Test
  void otherModulesUseOnlyThePublicApi() throws IOException {
    Path root = MODULE.getParent();
    List<String> found = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module :
          modules.filter(p -> p.getFileName().toString().startsWith("jasynq-")).toList()) {
        if (module.getFileName().toString().equals("jasynq-core")) {
          continue;
        }
        Path src = module.resolve("src");
        if (Files.isDirectory(src)) {
          found.addAll(offenders(src, "import io.jasynq.internal"));
        }
      }
    }
    assertThat(found).isEmpty();
  }

  /** Java files under {@code dir} containing {@code text}, except under the allowed subpaths. */
  private static List<String> offenders(Path dir, String text, String... allowed)
      throws IOException {
    List<String> result = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String rel = dir.relativize(file).toString().replace('\\', '/');
        boolean ok = false;
        for (String a : allowed) {
          ok |= rel.startsWith(a);
        }
        if (!ok && Files.readString(file).contains(text)) {
          result.add(rel);
        }
      }
    }
    return result;
  }
}
