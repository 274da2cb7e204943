package io.jasynq.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Renders task payloads and results for the JSON API: asynqmon's {@code payload} string (the text
 * when it is printable UTF-8, else {@code "non-printable bytes"}) and a preview in one of three
 * formats: {@code json} (pretty-printed), {@code text} or {@code hex} (a classic hex dump), cut at
 * a number of characters. Stateless.
 */
final class Payloads {
  /** Preview characters in task lists. */
  static final int LIST_PREVIEW_CHARS = 2_000;

  /** Preview characters in the single-task view: 256 KiB. */
  static final int DETAIL_PREVIEW_CHARS = 256 * 1024;

  static final String NON_PRINTABLE = "non-printable bytes";

  private static final JsonFactory FACTORY = new JsonFactory();

  private Payloads() {}

  /**
   * Puts {@code <key>}, {@code <key>_format}, {@code <key>_size}, {@code <key>_preview} and {@code
   * <key>_truncated} for {@code bytes} (null: no value, format null) into {@code into}.
   */
  static void put(Map<String, Object> into, String key, byte @Nullable [] bytes, int limit) {
    if (bytes == null) {
      into.put(key, "");
      into.put(key + "_format", null);
      into.put(key + "_size", 0);
      into.put(key + "_preview", "");
      into.put(key + "_truncated", false);
      return;
    }
    String text = utf8(bytes);
    boolean printable = text != null && printable(text);
    into.put(key, printable ? cut(Objects.requireNonNull(text), limit) : NON_PRINTABLE);
    Preview preview;
    if (text == null) {
      preview = hex(bytes, limit);
    } else {
      preview = prettyJson(text, limit);
      if (preview == null) {
        preview = printable ? text(text, limit) : hex(bytes, limit);
      }
    }
    into.put(key + "_format", preview.format());
    into.put(key + "_size", bytes.length);
    into.put(key + "_preview", preview.text());
    into.put(key + "_truncated", preview.truncated());
  }

  /** asynqmon's payload string alone: printable UTF-8 text, else {@code "non-printable bytes"}. */
  static String legacy(byte[] bytes, int limit) {
    String text = utf8(bytes);
    return text != null && printable(text) ? cut(text, limit) : NON_PRINTABLE;
  }

  record Preview(String format, String text, boolean truncated) {}

  /** The bytes as UTF-8 text, or null when they are not valid UTF-8. */
  static @Nullable String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Go's notion (unicode.IsPrint or IsSpace for every rune), which asynqmon uses. */
  static boolean printable(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp)) {
        continue;
      }
      int type = Character.getType(cp);
      if (type == Character.CONTROL
          || type == Character.FORMAT
          || type == Character.UNASSIGNED
          || type == Character.PRIVATE_USE
          || type == Character.SURROGATE
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        return false;
      }
    }
    return true;
  }

  private static Preview text(String text, int limit) {
    return new Preview("text", cut(text, limit), text.length() > limit);
  }

  /** One complete JSON value, pretty-printed and cut at {@code limit}; null if it is not JSON. */
  static @Nullable Preview prettyJson(String text, int limit) {
    LimitedWriter out = new LimitedWriter(limit);
    try (JsonParser parser = FACTORY.createParser(text);
        JsonGenerator generator = FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
      int roots = 0;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        generator.copyCurrentEvent(parser);
        if (token != JsonToken.START_OBJECT
            && token != JsonToken.START_ARRAY
            && parser.getParsingContext().inRoot()) {
          roots++;
        }
      }
      if (roots != 1) {
        return null;
      }
      generator.flush();
    } catch (IOException e) {
      return null;
    }
    return new Preview("json", out.toString(), out.truncated());
  }

  /** A hex dump: offset, 16 bytes in hex, their printable ASCII; cut at {@code limit}. */
  static Preview hex(byte[] bytes, int limit) {
    StringBuilder s = new StringBuilder();
    int off = 0;
    for (; off < bytes.length && s.length() < limit; off += 16) {
      s.append(String.format("%08x ", off));
      StringBuilder ascii = new StringBuilder();
      for (int i = 0; i < 16; i++) {
        if (i == 8) {
          s.append(' ');
        }
        if (off + i < bytes.length) {
          int b = bytes[off + i] & 0xff;
          s.append(' ')
              .append(Character.forDigit(b >> 4, 16))
              .append(Character.forDigit(b & 15, 16));
          ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        } else {
          s.append("   ");
        }
      }
      s.append("  |").append(ascii).append("|\n");
    }
    boolean truncated = off < bytes.length || s.length() > limit;
    return new Preview("hex", cut(s.toString(), limit), truncated);
  }

  private static String cut(String s, int limit) {
    return s.length() <= limit ? s : s.substring(0, limit);
  }

  /** Keeps the first {@code limit} characters written and counts whether more came. */
  private static final class LimitedWriter extends Writer {
    private final StringBuilder kept = new StringBuilder();
    private final int limit;
    private boolean truncated;

    LimitedWriter(int limit) {
      this.limit = limit;
    }

    @Override
    public void write(char[] buf, int off, int len) {
      int room = limit - kept.length();
      if (len > room) {
        truncated = true;
      }
      if (room > 0) {
        kept.append(buf, off, Math.min(room, len));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    boolean truncated() {
      return truncated;
    }

    @Override
    public String toString() {
      return kept.toString();
    }
  }
}
