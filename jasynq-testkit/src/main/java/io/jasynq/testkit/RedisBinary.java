package io.jasynq.testkit;

import io.jasynq.embedded.RedisExecutable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@code redis-server} executable that answered {@code --version}: the test kit's name for {@link
 * RedisExecutable} of {@code jasynq-embedded-redis}, which finds it.
 *
 * <p>{@link #locate()} looks, in order, at the system property {@value #PATH_PROPERTY}, the
 * environment variable {@value #PATH_ENV}, {@code redis-server} on the {@code PATH}, and finally
 * the binary shipped inside the {@code com.github.codemonstur:embedded-redis} jar (a dependency of
 * the test kit) for this OS and CPU (Redis 6.2), extracted once per user into {@code
 * java.io.tmpdir}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RedisBinary {
  /** System property naming an explicit redis-server path; it wins over everything else. */
  public static final String PATH_PROPERTY = RedisExecutable.PATH_PROPERTY;

  /** Environment variable naming an explicit redis-server path, used if the property is unset. */
  public static final String PATH_ENV = RedisExecutable.PATH_ENV;

  /** {@link #source()} of a binary given by path: the property, the variable or {@link #at}. */
  public static final String SOURCE_CONFIGURED = RedisExecutable.SOURCE_CONFIGURED;

  /** {@link #source()} of a binary found on the {@code PATH}. */
  public static final String SOURCE_PATH = RedisExecutable.SOURCE_PATH;

  /** {@link #source()} of the binary extracted from the embedded-redis jar. */
  public static final String SOURCE_EMBEDDED = RedisExecutable.SOURCE_EMBEDDED;

  private final RedisExecutable executable;

  private RedisBinary(RedisExecutable executable) {
    this.executable = executable;
  }

  /**
   * Finds a working redis-server: the configured path if {@value #PATH_PROPERTY} or {@value
   * #PATH_ENV} is set, else {@code redis-server} on the {@code PATH}, else the embedded binary.
   *
   * @return a binary that answered {@code --version}
   * @throws IllegalStateException if the configured path does not work, or nothing was found; the
   *     message lists every place that was tried
   */
  public static RedisBinary locate() {
    return new RedisBinary(RedisExecutable.locate());
  }

  /**
   * The redis-server shipped in the embedded-redis jar for this OS and CPU, extracted (once per
   * user, file name and size) to {@code ${java.io.tmpdir}/jasynq-redis-<user>-<resource>-<size>/}.
   *
   * @return the embedded binary, source {@value #SOURCE_EMBEDDED}
   * @throws IllegalStateException if no binary is shipped for this platform, the jar is not on the
   *     class path, or extraction or {@code --version} fails
   */
  public static RedisBinary embedded() {
    return new RedisBinary(RedisExecutable.embedded());
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
  public static RedisBinary at(Path path) {
    Objects.requireNonNull(path, "path == null");
    return new RedisBinary(RedisExecutable.at(path));
  }

  /**
   * The executable.
   *
   * @return its absolute path
   */
  public Path path() {
    return executable.path();
  }

  /**
   * The version the binary reported, e.g. {@code "7.0.15"}.
   *
   * @return the text after {@code v=} in {@code redis-server --version}
   */
  public String version() {
    return executable.version();
  }

  /**
   * Where the binary came from.
   *
   * @return {@value #SOURCE_CONFIGURED}, {@value #SOURCE_PATH} or {@value #SOURCE_EMBEDDED}
   */
  public String source() {
    return executable.source();
  }

  /**
   * Whether this redis-server was built with TLS ({@code BUILD_TLS=yes}), so that {@link
   * RedisServer.Builder#tls()} can start it. Probed once per instance by starting it with {@code
   * --port 0 --tls-port 0}, which a TLS build refuses with "not listen anywhere" and a build
   * without TLS with an unknown-directive error. Debian's redis-server and the embedded Linux
   * binaries have TLS; tests that need it should {@code assumeTrue(binary.supportsTls())}.
   *
   * @return true if the binary accepts the TLS directives
   */
  public boolean supportsTls() {
    return executable.supportsTls();
  }

  /**
   * The same binary as {@code jasynq-embedded-redis} knows it.
   *
   * @return the executable
   */
  public RedisExecutable executable() {
    return executable;
  }

  /** Shows path, version and source. */
  @Override
  public String toString() {
    return "RedisBinary[" + path() + ", version=" + version() + ", source=" + source() + "]";
  }
}
