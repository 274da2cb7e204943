package io.jasynq.prometheus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text format 0.0.4, for tests: it fails (AssertionError, with
 * the line) on anything a Prometheus server would reject: bad names, bad escapes, a TYPE after its
 * samples or given twice, a family split in two groups, a series given twice, a bad value.
 */
final class PromText {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** One metric family: its TYPE (untyped if none), its HELP (null if none), its samples. */
  record Family(String name, String type, String help, List<Sample> samples) {
    /** The value of the sample with exactly these labels. */
    double value(String... labels) {
      Map<String, String> want = new TreeMap<>();
      for (int i = 0; i < labels.length; i += 2) {
        want.put(labels[i], labels[i + 1]);
      }
      return samples.stream()
          .filter(s -> s.labels().equals(want))
          .findFirst()
          .orElseThrow(() -> new AssertionError(name + " has no sample " + want + ": " + samples))
          .value();
    }
  }

  private final Map<String, Family> families = new LinkedHashMap<>();
  private final Set<String> series = new HashSet<>();
  private final Set<String> closed = new HashSet<>();
  private String open;
  private int lineNo;
  private String line;

  private PromText() {}

  /** The families of {@code text}, by name, in order. */
  static Map<String, Family> parse(String text) {
    PromText p = new PromText();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new AssertionError("the text must end with a line feed");
    }
    for (String l : text.split("\n", -1)) {
      p.lineNo++;
      p.line = l;
      p.line(l);
    }
    return p.families;
  }

  private void line(String l) {
    if (l.isBlank()) {
      return;
    }
    if (l.startsWith("#")) {
      String[] parts = l.split(" ", 4);
      if (parts.length >= 3 && parts[1].equals("HELP")) {
        help(parts[2], parts.length == 4 ? unescape(parts[3], false) : "");
      } else if (parts.length >= 3 && parts[1].equals("TYPE")) {
        type(parts[2], parts.length == 4 ? parts[3] : "");
      }
      return;
    }
    sample(l);
  }

  private void help(String name, String help) {
    name(name);
    Family f = family(name);
    check(f.help() == null, "second HELP for " + name);
    families.put(name, new Family(name, f.type(), help, f.samples()));
  }

  private void type(String name, String type) {
    name(name);
    check(TYPES.contains(type), "unknown type " + type);
    Family f = family(name);
    check(f.samples().isEmpty(), "TYPE of " + name + " after its samples");
    check(f.type() == null, "second TYPE for " + name);
    families.put(name, new Family(name, type, f.help(), f.samples()));
  }

  private Family family(String name) {
    check(!closed.contains(name), "family " + name + " split in two groups");
    if (open != null && !open.equals(name)) {
      closed.add(open);
    }
    open = name;
    return families.computeIfAbsent(name, n -> new Family(n, null, null, new ArrayList<>()));
  }

  private void sample(String l) {
    int i = 0;
    while (i < l.length() && l.charAt(i) != '{' && l.charAt(i) != ' ') {
      i++;
    }
    String name = l.substring(0, i);
    name(name);
    Map<String, String> labels = new TreeMap<>();
    if (i < l.length() && l.charAt(i) == '{') {
      i = labels(l, i + 1, labels);
    }
    check(i < l.length() && l.charAt(i) == ' ', "no value");
    String[] rest = l.substring(i + 1).strip().split(" +");
    check(rest.length == 1 || rest.length == 2, "value [timestamp] expected");
    double value = value(rest[0]);
    if (rest.length == 2) {
      check(rest[1].matches("-?\\d+"), "bad timestamp " + rest[1]);
    }
    Family f = family(familyOf(name));
    check(series.add(name + labels), "series given twice: " + name + labels);
    if (f.type() == null) {
      families.put(f.name(), new Family(f.name(), "untyped", f.help(), f.samples()));
    }
    families.get(f.name()).samples().add(new Sample(name, Map.copyOf(labels), value));
  }

  /** The family a sample belongs to: its own name, or a summary's or histogram's. */
  private String familyOf(String name) {
    for (String suffix : new String[] {"_sum", "_count", "_bucket"}) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        Family f = families.get(base);
        if (f != null && ("summary".equals(f.type()) || "histogram".equals(f.type()))) {
          return base;
        }
      }
    }
    return name;
  }

  private int labels(String l, int i, Map<String, String> labels) {
    while (true) {
      check(i < l.length(), "unterminated labels");
      if (l.charAt(i) == '}') {
        return i + 1;
      }
      int eq = l.indexOf("=\"", i);
      check(eq > i, "label without =\"");
      String label = l.substring(i, eq);
      check(LABEL_NAME.matcher(label).matches(), "bad label name " + label);
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < l.length() && l.charAt(j) != '"'; j++) {
        char c = l.charAt(j);
        if (c == '\\') {
          check(++j < l.length(), "dangling backslash");
          char e = l.charAt(j);
          check(e == '\\' || e == '"' || e == 'n', "bad escape \\" + e);
          value.append(e == 'n' ? '\n' : e);
        } else {
          value.append(c);
        }
      }
      check(j < l.length(), "unterminated label value");
      check(labels.put(label, value.toString()) == null, "label given twice: " + label);
      i = j + 1;
      if (i < l.length() && l.charAt(i) == ',') {
        i++;
      }
    }
  }

  private double value(String v) {
    switch (v) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        check(v.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?"), "bad value " + v);
        return Double.parseDouble(v);
    }
  }

  private static String unescape(String s, boolean quotes) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        b.append(e == 'n' ? '\n' : e == '\\' ? '\\' : e == '"' && quotes ? '"' : '?');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private void name(String name) {
    check(METRIC_NAME.matcher(name).matches(), "bad metric name \"" + name + "\"");
  }

  private void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("line " + lineNo + ": " + what + ": " + line);
    }
  }
}
