package com.cdp.ingestion.chunker;

/** Receives finished chunks (gzip NDJSON) in order; called from the compression thread. */
@FunctionalInterface
interface ChunkSink {
  void put(Chunk chunk);

  /** One chunk: its 1-based number, gzip bytes and row count. */
  record Chunk(int number, byte[] gzipped, int rows) {}
}
