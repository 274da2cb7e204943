package io.jasynq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An aligned text table: a header, a rule of dashes, then the rows, columns two spaces apart.
 * Columns whose header ends with {@code >} are right-aligned (numbers). Cells never wrap.
 */
final class Table {
  private final String[] headers;
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = new String[headers.length];
    this.right = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      right[i] = headers[i].endsWith(">");
      this.headers[i] = right[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i];
    }
  }

  /** Adds a row; null cells print as {@code -}. */
  Table row(@Nullable Object... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, table has " + headers.length + " columns");
    }
    String[] text = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      text[i] = cells[i] == null ? "-" : oneLine(String.valueOf(cells[i]));
    }
    rows.add(text);
    return this;
  }

  /** {@code headers}, plus a last {@code problem} column when {@code withProblems}. */
  static Table withProblemColumn(boolean withProblems, String... headers) {
    if (!withProblems) {
      return new Table(headers);
    }
    String[] all = Arrays.copyOf(headers, headers.length + 1);
    all[headers.length] = "problem";
    return new Table(all);
  }

  /** Adds a row of {@code cells}, plus the problem cell when the table has that column. */
  Table row(java.util.List<String> problems, @Nullable Object... cells) {
    if (cells.length == headers.length) {
      return row(cells);
    }
    Object[] all = Arrays.copyOf(cells, cells.length + 1);
    all[cells.length] = Human.problem(problems);
    return row(all);
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] width = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      width[i] = headers[i].length();
      for (String[] row : rows) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    line(out, headers, width);
    String[] rule = new String[headers.length];
    for (int i = 0; i < rule.length; i++) {
      char[] dashes = new char[width[i]];
      Arrays.fill(dashes, '-');
      rule[i] = new String(dashes);
    }
    line(out, rule, width);
    for (String[] row : rows) {
      line(out, row, width);
    }
  }

  private void line(PrintWriter out, String[] cells, int[] width) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        s.append("  ");
      }
      String pad = " ".repeat(width[i] - cells[i].length());
      s.append(right[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
    }
    out.println(s.toString().stripTrailing());
  }

  /** Control characters (newlines, tabs, escapes from payloads) would break the alignment. */
  static String oneLine(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      s.append(Character.isISOControl(c) ? ' ' : c);
    }
    return s.toString();
  }
}
