package com.cdp.ingestion.chunker;

/**
 * Bounds of one chunking run: rows and characters per chunk, the longest physical line kept (a
 * longer row is rejected without being held), and how many lines one quoted record may span.
 */
public record ChunkLimits(int chunkRows, int chunkChars, int maxLineChars, int maxRecordLines) {
  public ChunkLimits {
    if (chunkRows < 1 || chunkChars < 1024 || maxLineChars < 256 || maxRecordLines < 1) {
      throw new IllegalArgumentException("chunk limits too small");
    }
  }

  /** 5,000 rows or 4 Mi characters a chunk; 16 Ki characters a line; 10 lines a record. */
  public static ChunkLimits standard() {
    return new ChunkLimits(5_000, 4 << 20, 16_384, 10);
  }
}
