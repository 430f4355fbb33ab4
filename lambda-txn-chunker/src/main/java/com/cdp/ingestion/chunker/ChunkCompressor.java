package com.cdp.ingestion.chunker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * gzip of a chunk's NDJSON text, reusing its buffers from one chunk to the next. One per thread.
 *
 * <p>Why: a chunk is about 1 MB of text, larger than half a G1 region at the chunker's heap sizes,
 * so every buffer allocated per chunk is a humongous object. Encoding through {@code toString()}
 * and {@code getBytes} into a fresh output stream allocated five or six of them per chunk, and in a
 * JFR recording about one young collection and one concurrent cycle per chunk were started by
 * humongous allocations. Here the only allocation per chunk is the result.
 */
final class ChunkCompressor {
  private final int level;
  // Same replacement as String.getBytes for text that is not well-formed UTF-16 ('?').
  private final CharsetEncoder utf8 =
      StandardCharsets.UTF_8
          .newEncoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private static final int SLICE = 32 * 1024;
  private final char[] chars = new char[SLICE];
  // UTF-8 needs at most 3 bytes per UTF-16 char (4 for a surrogate pair, which is 2 chars).
  private final ByteBuffer encoded = ByteBuffer.allocate(3 * SLICE);
  private final Output out = new Output();

  ChunkCompressor(int level) {
    this.level = level;
  }

  /** The gzip bytes of {@code text} encoded as UTF-8. */
  byte[] gzip(StringBuilder text) {
    int n = text.length();
    out.reset();
    out.reserve(level == 0 ? n + n / 16 + 1024 : n / 4 + 1024);
    try (GZIPOutputStream gz =
        new GZIPOutputStream(out, 1 << 16) {
          {
            def.setLevel(level);
          }
        }) {
      int from = 0;
      while (from < n) {
        int to = Math.min(n, from + SLICE);
        if (to < n && Character.isHighSurrogate(text.charAt(to - 1))) {
          to--; // keep a surrogate pair in one slice
        }
        text.getChars(from, to, chars, 0);
        encoded.clear();
        utf8.reset();
        CoderResult result = utf8.encode(CharBuffer.wrap(chars, 0, to - from), encoded, true);
        if (!result.isUnderflow()) {
          throw new IllegalStateException("chunk text could not be encoded: " + result);
        }
        utf8.flush(encoded);
        gz.write(encoded.array(), 0, encoded.position());
        from = to;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A byte array output stream whose buffer is kept between chunks. */
  private static final class Output extends ByteArrayOutputStream {
    Output() {
      super(1024);
    }

    void reserve(int capacity) {
      if (buf.length < capacity) {
        buf = new byte[capacity];
      }
    }
  }
}
