package io.jasynq.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of {@code io.jasynq} and {@code io.jasynq.redis}, compared with the committed
 * {@code api/jasynq-core.api}, so every API change shows in review. After an intended change, run
 * {@code ./mvnw -pl jasynq-core -am test -Dtest=ApiSignatureTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Djasynq.api.update=true} and commit the file.
 */
class ApiSignatureTest {
  private static final Path API_FILE = Path.of("api/jasynq-core.api");
  private static final List<String> PACKAGES = List.of("io.jasynq", "io.jasynq.redis");

  @Test
  void publicApiMatchesTheCommittedSignatures() throws Exception {
    String actual = String.join("\n", signatures()) + "\n";
    if (Boolean.getBoolean("jasynq.api.update")) {
      Files.createDirectories(API_FILE.getParent());
      Files.writeString(API_FILE, actual);
    }
    assertThat(API_FILE).as("run with -Djasynq.api.update=true to create it").exists();
    assertThat(actual)
        .as(
            "public API changed: review, then run with -Djasynq.api.update=true and commit "
                + API_FILE)
        .isEqualTo(Files.readString(API_FILE));
  }

  private static List<String> signatures() throws IOException, ClassNotFoundException {
    List<String> lines = new ArrayList<>();
    Path classes = Path.of("target/classes");
    for (String pkg : PACKAGES) {
      Path dir = classes.resolve(pkg.replace('.', '/'));
      List<String> names;
      try (Stream<Path> files = Files.list(dir)) {
        names =
            files
                .map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
                .map(n -> pkg + "." + n.substring(0, n.length() - 6).replace('$', '.'))
                .sorted()
                .toList();
      }
      for (String name : names) {
        Class<?> type = Class.forName(binaryName(pkg, name));
        if (!Modifier.isPublic(type.getModifiers()) || type.isAnonymousClass() || isHidden(type)) {
          continue;
        }
        lines.add(describe(type));
        TreeSet<String> members = new TreeSet<>();
        for (Field f : type.getDeclaredFields()) {
          if (visible(f.getModifiers())) {
            members.add(
                "  "
                    + mods(f.getModifiers())
                    + f.getGenericType().getTypeName()
                    + " "
                    + f.getName());
          }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
          if (visible(c.getModifiers())) {
            members.add("  " + mods(c.getModifiers()) + "<init>" + params(c));
          }
        }
        for (Method m : type.getDeclaredMethods()) {
          if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
            members.add(
                "  "
                    + mods(m.getModifiers())
                    + m.getGenericReturnType().getTypeName()
                    + " "
                    + m.getName()
                    + params(m));
          }
        }
        lines.addAll(members);
      }
    }
    return lines;
  }

  private static String binaryName(String pkg, String dotted) {
    String rest = dotted.substring(pkg.length() + 1);
    return pkg + "." + rest.replace('.', '$');
  }

  private static boolean isHidden(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers())) {
        return true;
      }
    }
    return false;
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String describe(Class<?> type) {
    String kind =
        type.isInterface()
            ? "interface"
            : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
    String supers =
        Stream.concat(
                type.getSuperclass() == null
                        || type.getSuperclass() == Object.class
                        || type.isEnum()
                        || type.isRecord()
                    ? Stream.empty()
                    : Stream.of(type.getSuperclass()),
                Arrays.stream(type.getInterfaces()))
            .map(Class::getName)
            .collect(Collectors.joining(", "));
    return mods(type.getModifiers() & ~Modifier.INTERFACE)
        + kind
        + " "
        + type.getName()
        + (supers.isEmpty() ? "" : " : " + supers);
  }

  private static String params(Executable e) {
    return Arrays.stream(e.getGenericParameterTypes())
        .map(java.lang.reflect.Type::getTypeName)
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String mods(int m) {
    String s = Modifier.toString(m & (Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT));
    return s.isEmpty() ? "" : s + " ";
  }
}
