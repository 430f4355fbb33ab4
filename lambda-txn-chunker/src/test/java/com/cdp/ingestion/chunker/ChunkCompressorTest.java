package com.cdp.ingestion.chunker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkCompressorTest {
  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void encodesTheSameUtf8AsStringGetBytesEvenWhenASurrogatePairStraddlesASlice(int level)
      throws IOException {
    StringBuilder text = new StringBuilder();
    while (text.length() < 32 * 1024 - 1) {
      text.append("{\"s\":\"caf\u00e9 \u20ac\"}\n");
    }
    text.setLength(32 * 1024 - 1);
    text.append("\uD83D\uDE00"); // a pair across the first 32 Ki-char slice boundary
    for (int i = 0; i < 3_000; i++) {
      text.append("\u00fcber \uD834\uDD1E ").append(i).append('\n');
    }
    text.append('\uD800'); // a lone surrogate: '?' as String.getBytes writes it
    text.append("end\n");

    byte[] gz = new ChunkCompressor(level).gzip(text);

    assertThat(gunzip(gz)).isEqualTo(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void aReusedCompressorKeepsNothingOfTheChunkBefore(int level) throws IOException {
    ChunkCompressor compressor = new ChunkCompressor(level);
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 50_000; i++) {
      big.append("{\"t\":\"t-").append(i).append("\"}\n");
    }
    StringBuilder small = new StringBuilder("{\"t\":\"only\"}\n");

    byte[] first = compressor.gzip(big);
    byte[] second = compressor.gzip(small);
    byte[] empty = compressor.gzip(new StringBuilder());

    assertThat(new String(gunzip(first), StandardCharsets.UTF_8)).isEqualTo(big.toString());
    assertThat(new String(gunzip(second), StandardCharsets.UTF_8)).isEqualTo("{\"t\":\"only\"}\n");
    assertThat(gunzip(empty)).isEmpty();
  }
}
