package io.jasynq.docs;

import io.jasynq.docs.ReadmeSnippets.Snippet;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles snippets in-process with javac against this JVM's class path. */
final class SnippetCompiler implements AutoCloseable {
  private final JavaCompiler javac =
      Objects.requireNonNull(
          ToolProvider.getSystemJavaCompiler(), "no javac in this JVM: run the tests on a JDK");
  private final StandardJavaFileManager files =
      javac.getStandardFileManager(null, Locale.ROOT, null);
  private final List<String> options;

  SnippetCompiler(Path classesDir) {
    options =
        List.of(
            "--release",
            "17",
            "-proc:none",
            "-implicit:none",
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            classesDir.toString());
  }

  /**
   * The errors of the snippets, each as {@code "<name> line N: message"} with the README line, or
   * none when all compile. One javac run for all; on errors, one run per snippet, since a syntax
   * error in one would hide the other snippets' errors.
   */
  List<String> errors(List<Snippet> snippets, String name) {
    List<String> errors = compile(snippets, name);
    if (errors.isEmpty() || snippets.size() == 1) {
      return errors;
    }
    return snippets.stream().flatMap(s -> compile(List.of(s), name).stream()).toList();
  }

  private List<String> compile(List<Snippet> snippets, String name) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<Source> units = snippets.stream().map(Source::new).toList();
    StringWriter out = new StringWriter();
    javac.getTask(out, files, diagnostics, options, null, units).call();
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        int line = d.getSource() instanceof Source s ? s.snippet.readmeLine(d.getLineNumber()) : 0;
        errors.add(name + " line " + line + ": " + d.getMessage(Locale.ROOT));
      }
    }
    if (errors.isEmpty() && !out.toString().isBlank()) {
      errors.add(name + ": javac said " + out);
    }
    return errors;
  }

  @Override
  public void close() {
    try {
      files.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Source extends SimpleJavaFileObject {
    private final Snippet snippet;
    private final String code;

    Source(Snippet snippet) {
      super(URI.create("string:///readme/" + snippet.className() + ".java"), Kind.SOURCE);
      this.snippet = snippet;
      this.code = snippet.source();
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}
