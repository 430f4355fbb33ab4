package com.cdp.ingestion.chunker;

/**
 * Bounds of one chunking run: rows and characters per chunk, the longest physical line kept (a
 * longer row is rejected without being held), how many lines one quoted record may span, and the
 * gzip level of the chunks (1 = fastest compression, 0 = stored: gzip framing without compression,
 * trading chunk size for chunker CPU).
 */
public record ChunkLimits(
    int chunkRows, int chunkChars, int maxLineChars, int maxRecordLines, int gzipLevel) {
  public ChunkLimits {
    if (chunkRows < 1 || chunkChars < 1024 || maxLineChars < 256 || maxRecordLines < 1) {
      throw new IllegalArgumentException("chunk limits too small");
    }
    if (gzipLevel < 0 || gzipLevel > 9) {
      throw new IllegalArgumentException("gzip level must be 0-9");
    }
  }

  /** With the default gzip level (0). */
  public ChunkLimits(int chunkRows, int chunkChars, int maxLineChars, int maxRecordLines) {
    this(chunkRows, chunkChars, maxLineChars, maxRecordLines, 0);
  }

  /**
   * 5,000 rows or 4 Mi characters a chunk; 16 Ki characters a line; 10 lines a record; gzip level 0
   * (stored): compression cost the chunker twice the CPU of parsing (docs/BENCHMARKS.md), and
   * chunks live a few days in the same region.
   */
  public static ChunkLimits standard() {
    return new ChunkLimits(5_000, 4 << 20, 16_384, 10, 0);
  }

  public ChunkLimits withGzipLevel(int level) {
    return new ChunkLimits(chunkRows, chunkChars, maxLineChars, maxRecordLines, level);
  }
}
