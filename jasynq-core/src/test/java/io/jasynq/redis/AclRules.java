package io.jasynq.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The least-privilege ACL rules of each role, read from the README's {@code ACL SETUSER} lines, so
 * the tests apply exactly what users are told to apply.
 */
final class AclRules {
  static final String PASSWORD = "acl-test-password";

  private static final Pattern SETUSER = Pattern.compile("^ACL SETUSER (jasynq-[a-z]+) (.+)$");
  private static final Pattern USER = Pattern.compile("^user (jasynq-[a-z]+) (.+)$");

  private AclRules() {}

  /** Role name (e.g. {@code jasynq-producer}) to its rules, {@code >PASSWORD} made real. */
  static Map<String, List<String>> fromReadme() {
    return parse(SETUSER);
  }

  /** The same roles as written in the README's {@code users.acl} form. */
  static Map<String, List<String>> usersAclFromReadme() {
    return parse(USER);
  }

  /** {@code rules} without {@code removed} (which must be among them). */
  static List<String> without(List<String> rules, String removed) {
    List<String> less = new ArrayList<>(rules);
    if (!less.remove(removed)) {
      throw new IllegalArgumentException(removed + " is not in " + rules);
    }
    return less;
  }

  private static Map<String, List<String>> parse(Pattern pattern) {
    Map<String, List<String>> roles = new LinkedHashMap<>();
    for (String line : readme()) {
      Matcher m = pattern.matcher(line.strip());
      if (m.matches()) {
        List<String> rules = new ArrayList<>(Arrays.asList(m.group(2).split(" ")));
        rules.replaceAll(r -> r.equals(">PASSWORD") ? ">" + PASSWORD : r);
        roles.put(m.group(1), List.copyOf(rules));
      }
    }
    return roles;
  }

  private static List<String> readme() {
    Path path = Path.of("README.md");
    for (int i = 0; i < 3 && !Files.exists(path); i++) {
      path = Path.of("..").resolve(path);
    }
    try {
      return Files.readAllLines(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
