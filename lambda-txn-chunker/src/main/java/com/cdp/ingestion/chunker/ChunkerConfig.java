package com.cdp.ingestion.chunker;

import com.cdp.model.config.EnvReader;
import com.cdp.model.table.Tables;
import java.util.Objects;

/** The chunker's configuration, read once from the environment. */
record ChunkerConfig(String environment, String ingestionTable, ChunkLimits limits) {
  ChunkerConfig {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(ingestionTable, "ingestionTable");
    Objects.requireNonNull(limits, "limits");
  }

  static ChunkerConfig from(EnvReader env) {
    String environment = env.required("CDP_ENV");
    ChunkLimits standard = ChunkLimits.standard();
    return new ChunkerConfig(
        environment,
        env.optional("TABLE_INGESTION", Tables.INGESTION.physicalName(environment)),
        new ChunkLimits(
            env.integer("CHUNK_ROWS", standard.chunkRows(), 100, 100_000),
            env.integer("CHUNK_MAX_CHARS", standard.chunkChars(), 1 << 16, 64 << 20),
            env.integer("CSV_MAX_LINE_CHARS", standard.maxLineChars(), 1024, 1 << 20),
            env.integer("CSV_MAX_RECORD_LINES", standard.maxRecordLines(), 1, 100),
            env.integer("CHUNK_GZIP_LEVEL", standard.gzipLevel(), 0, 9)));
  }
}
