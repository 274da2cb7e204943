package io.jasynq.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the page's files from a classpath folder: {@code index.html} for the mount root, the
 * Content-Type from the extension (only known extensions are served), a strong ETag (304 when
 * {@code If-None-Match} has it) and {@code Cache-Control: no-cache}. Only plain names of letters,
 * digits, {@code . _ -} in {@code /}-separated segments not starting with a dot are looked up, so
 * no path can leave the folder; anything else, and anything missing, is a 404. Thread-safe: files
 * are cached in a concurrent map.
 */
final class StaticFiles {
  private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json; charset=utf-8"),
          Map.entry("map", "application/json; charset=utf-8"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"));

  private record File(byte[] bytes, String type, String etag) {}

  private final String root;
  private final ClassLoader loader;
  private final Map<String, File> cache = new ConcurrentHashMap<>();

  /**
   * @param root the classpath folder, without leading slash, ending with {@code /}
   */
  StaticFiles(String root, ClassLoader loader) {
    this.root = root;
    this.loader = loader;
  }

  void serve(HttpServletRequest request, HttpServletResponse response, String path)
      throws IOException {
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      response.setHeader("Allow", "GET, HEAD");
      Replies.writeError(response, 405, "method " + method + " is not allowed on the page's files");
      return;
    }
    String name = path.equals("/") ? "/index.html" : path;
    Optional<File> file = SAFE_PATH.matcher(name).matches() ? find(name) : Optional.empty();
    if (file.isEmpty()) {
      Replies.writeError(response, 404, "not found: " + path);
      return;
    }
    File f = file.get();
    response.setHeader("ETag", f.etag());
    response.setHeader("Cache-Control", "no-cache");
    String ifNoneMatch = request.getHeader("If-None-Match");
    if (ifNoneMatch != null && ifNoneMatch.contains(f.etag())) {
      response.setStatus(304);
      return;
    }
    response.setStatus(200);
    response.setContentType(f.type());
    response.setContentLength(f.bytes().length);
    if (method.equals("GET")) {
      response.getOutputStream().write(f.bytes());
    }
  }

  /** Found files are cached; misses are not, so probing for names cannot fill the memory. */
  private Optional<File> find(String name) {
    File cached = cache.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<File> loaded = load(name);
    loaded.ifPresent(f -> cache.put(name, f));
    return loaded;
  }

  private Optional<File> load(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = TYPES.get(ext);
    if (type == null) {
      return Optional.empty(); // also keeps folder names (no extension) out
    }
    URL url = loader.getResource(root + name.substring(1));
    if (url == null || isDirectory(url)) {
      return Optional.empty();
    }
    try (InputStream in = url.openStream()) {
      byte[] bytes = in.readAllBytes();
      return Optional.of(new File(bytes, type, etag(bytes)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean isDirectory(URL url) {
    if (url.getProtocol().equals("file")) {
      try {
        return !Files.isRegularFile(Path.of(url.toURI()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        return true;
      }
    }
    // In a jar a folder's entry name ends with '/', and the lookup name never does.
    return url.getPath().endsWith("/");
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
