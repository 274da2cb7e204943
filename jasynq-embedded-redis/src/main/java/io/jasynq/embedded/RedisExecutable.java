package io.jasynq.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code redis-server} executable that answered {@code --version}.
 *
 * <p>{@link #locate()} looks, in order, at the system property {@value #PATH_PROPERTY}, the
 * environment variable {@value #PATH_ENV}, {@code redis-server} on the {@code PATH}, and finally
 * the binary shipped inside the {@code com.github.codemonstur:embedded-redis} jar for this OS and
 * CPU (Redis 6.2), extracted once per user into {@code java.io.tmpdir}. That jar is not a
 * dependency of this module (it holds six binaries, 12 MB): an app that wants the fallback puts
 * {@code com.github.codemonstur:embedded-redis} on its class path ({@code jasynq-testkit} does, and
 * the {@code jasynq} command's jar names it in its manifest's {@code Class-Path}).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RedisExecutable {
  /** System property naming an explicit redis-server path; it wins over everything else. */
  public static final String PATH_PROPERTY = "jasynq.redis.server";

  /** Environment variable naming an explicit redis-server path, used if the property is unset. */
  public static final String PATH_ENV = "JASYNQ_REDIS_SERVER";

  /** {@link #source()} of a binary given by path: the property, the variable or {@link #at}. */
  public static final String SOURCE_CONFIGURED = "configured";

  /** {@link #source()} of a binary found on the {@code PATH}. */
  public static final String SOURCE_PATH = "PATH";

  /** {@link #source()} of the binary extracted from the embedded-redis jar. */
  public static final String SOURCE_EMBEDDED = "embedded";

  private static final Logger log = LoggerFactory.getLogger(RedisExecutable.class);
  private static final Pattern VERSION = Pattern.compile("\\bv=(\\d+\\.\\d+\\.\\d+\\S*)");
  private static final long VERSION_TIMEOUT_SECONDS = 10;

  private final Path path;
  private final String version;
  private final String source;

  // Computed on first use; racing threads compute the same answer.
  private volatile @Nullable Boolean supportsTls;

  private RedisExecutable(Path path, String version, String source) {
    this.path = path;
    this.version = version;
    this.source = source;
  }

  /**
   * Finds a working redis-server: the configured path if {@value #PATH_PROPERTY} or {@value
   * #PATH_ENV} is set, else {@code redis-server} on the {@code PATH}, else the embedded binary.
   *
   * @return a binary that answered {@code --version}
   * @throws IllegalStateException if the configured path does not work, or nothing was found; the
   *     message lists every place that was tried
   */
  public static RedisExecutable locate() {
    String configured = System.getProperty(PATH_PROPERTY);
    String configuredBy = "system property " + PATH_PROPERTY;
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(PATH_ENV);
      configuredBy = "environment variable " + PATH_ENV;
    }
    if (configured != null && !configured.isBlank()) {
      try {
        return probe(Path.of(configured.trim()), SOURCE_CONFIGURED);
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            configuredBy + " names '" + configured + "', which is not a working redis-server", e);
      }
    }
    List<String> tried = new ArrayList<>();
    tried.add("system property " + PATH_PROPERTY + " and environment variable " + PATH_ENV);
    tried.add("  not set");
    RedisExecutable onPath = onPath(tried);
    if (onPath != null) {
      return onPath;
    }
    try {
      return embedded();
    } catch (RuntimeException e) {
      tried.add("embedded-redis jar");
      tried.add("  " + e.getMessage());
      throw new IllegalStateException(
          "No working redis-server found. Install one on the PATH or set -D"
              + PATH_PROPERTY
              + "=/path/to/redis-server. Tried:\n"
              + String.join("\n", tried),
          e);
    }
  }

  /**
   * The redis-server shipped in the embedded-redis jar for this OS and CPU, extracted (once per
   * user, file name and size) to {@code ${java.io.tmpdir}/jasynq-redis-<user>-<resource>-<size>/}.
   * Concurrent extractions, even from other JVMs, are safe: each writes a temp file and renames it
   * into place atomically.
   *
   * @return the embedded binary, source {@value #SOURCE_EMBEDDED}
   * @throws IllegalStateException if no binary is shipped for this platform, the jar is not on the
   *     class path, or extraction or {@code --version} fails
   */
  public static RedisExecutable embedded() {
    String osName = System.getProperty("os.name", "");
    String osArch = System.getProperty("os.arch", "");
    String resource = embeddedResourceName(osName, osArch);
    if (resource == null) {
      throw new IllegalStateException(
          "no embedded redis-server for os.name=" + osName + ", os.arch=" + osArch);
    }
    URL url = findResource(resource);
    if (url == null) {
      throw new IllegalStateException(
          "resource /" + resource + " not on the class path (is embedded-redis a dependency?)");
    }
    return probe(extract(url, resource), SOURCE_EMBEDDED);
  }

  /**
   * A redis-server at an explicit path.
   *
   * @param path the executable
   * @return the binary, source {@value #SOURCE_CONFIGURED}
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalStateException if it is not an executable file or does not answer {@code
   *     --version} with a version
   */
  public static RedisExecutable at(Path path) {
    Objects.requireNonNull(path, "path == null");
    return probe(path, SOURCE_CONFIGURED);
  }

  /**
   * The executable.
   *
   * @return its absolute path
   */
  public Path path() {
    return path;
  }

  /**
   * The version the binary reported, e.g. {@code "7.0.15"}.
   *
   * @return the text after {@code v=} in {@code redis-server --version}
   */
  public String version() {
    return version;
  }

  /**
   * Where the binary came from.
   *
   * @return {@value #SOURCE_CONFIGURED}, {@value #SOURCE_PATH} or {@value #SOURCE_EMBEDDED}
   */
  public String source() {
    return source;
  }

  /**
   * Whether this redis-server was built with TLS ({@code BUILD_TLS=yes}), so that a server with a
   * TLS port ({@link RedisProcessBuilder#tls(RedisTls)}) can start. Probed once per instance by
   * starting it with {@code --port 0 --tls-port 0}, which a TLS build refuses with "not listen
   * anywhere" and a build without TLS with an unknown-directive error. Debian's redis-server and
   * the embedded Linux binaries have TLS; tests that need it should {@code
   * assumeTrue(binary.supportsTls())}.
   *
   * @return true if the binary accepts the TLS directives
   */
  public boolean supportsTls() {
    Boolean known = supportsTls;
    if (known == null) {
      known = runProbe(path, "--port", "0", "--tls-port", "0").contains("not listen anywhere");
      supportsTls = known;
    }
    return known;
  }

  /** Shows path, version and source. */
  @Override
  public String toString() {
    return "RedisExecutable[" + path + ", version=" + version + ", source=" + source + "]";
  }

  static @Nullable String embeddedResourceName(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.startsWith("linux")) {
      return x64
          ? "redis-server-6.2.6-v5-linux-amd64"
          : arm64 ? "redis-server-6.2.7-linux-arm64" : null;
    }
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return x64
          ? "redis-server-6.2.6-v5-darwin-amd64"
          : arm64 ? "redis-server-6.2.6-v5-darwin-arm64" : null;
    }
    return null;
  }

  private static URL findResource(String resource) {
    URL url = RedisExecutable.class.getResource("/" + resource);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return url != null || context == null ? url : context.getResource(resource);
  }

  private static @Nullable RedisExecutable onPath(List<String> tried) {
    String pathVariable = System.getenv("PATH");
    tried.add("redis-server on PATH");
    if (pathVariable == null || pathVariable.isBlank()) {
      tried.add("  PATH is not set");
      return null;
    }
    for (String directory : pathVariable.split(java.io.File.pathSeparator)) {
      if (directory.isBlank()) {
        continue;
      }
      Path candidate = Path.of(directory, "redis-server");
      if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) {
        continue;
      }
      try {
        return probe(candidate, SOURCE_PATH);
      } catch (RuntimeException e) {
        tried.add("  " + candidate + ": " + e.getMessage());
      }
    }
    tried.add("  none found in " + pathVariable);
    return null;
  }

  private static Path extract(URL url, String resource) {
    try {
      URLConnection connection = url.openConnection();
      long size = connection.getContentLengthLong();
      String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
      Path directory =
          Path.of(
              System.getProperty("java.io.tmpdir"),
              "jasynq-redis-" + user + "-" + resource + "-" + size);
      Path target = directory.resolve("redis-server");
      if (Files.isRegularFile(target) && Files.size(target) == size && Files.isExecutable(target)) {
        return target;
      }
      Files.createDirectories(directory);
      Path part = Files.createTempFile(directory, "redis-server-", ".part");
      try {
        try (InputStream in = connection.getInputStream()) {
          Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!part.toFile().setExecutable(true, false)) {
          throw new IOException("cannot make " + part + " executable");
        }
        moveIntoPlace(part, target);
      } finally {
        Files.deleteIfExists(part);
      }
      log.debug("Extracted embedded {} to {}", resource, target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract embedded " + resource + ": " + e, e);
    }
  }

  private static void moveIntoPlace(Path part, Path target) throws IOException {
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static RedisExecutable probe(Path path, String source) {
    Path absolute = path.toAbsolutePath();
    if (!Files.isRegularFile(absolute) || !Files.isExecutable(absolute)) {
      throw new IllegalStateException(absolute + " is not an executable file");
    }
    String output = runVersion(absolute);
    Matcher matcher = VERSION.matcher(output);
    if (!matcher.find()) {
      throw new IllegalStateException(
          absolute + " --version printed no version: '" + output.strip() + "'");
    }
    RedisExecutable binary = new RedisExecutable(absolute, matcher.group(1), source);
    log.debug("Using {}", binary);
    return binary;
  }

  private static String runVersion(Path executable) {
    return runProbe(executable, "--version");
  }

  /** Runs the binary with {@code args} (which must make it exit at once) and returns its output. */
  private static String runProbe(Path executable, String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(List.of(args));
    String shown = executable + " " + String.join(" ", args);
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
              .redirectErrorStream(true)
              .start();
      process.getOutputStream().close();
      if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            shown + " did not exit within " + VERSION_TIMEOUT_SECONDS + "s");
      }
      try (InputStream in = process.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + shown + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + shown, e);
    }
  }
}
