package io.jasynq.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Properties;

/** The protobuf values Go Asynq v0.24.1 wrote, from the spec's golden dump. */
public final class Golden {
  private static final Properties VALUES = load();

  private Golden() {}

  /** The bytes stored under {@code name} in golden/asynq-v0.24.1.properties. */
  public static byte[] bytes(String name) {
    String hex = VALUES.getProperty(name);
    if (hex == null) {
      throw new IllegalArgumentException("no golden value " + name);
    }
    return HexFormat.of().parseHex(hex);
  }

  private static Properties load() {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/asynq-v0.24.1.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
