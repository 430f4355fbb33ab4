package com.cdp.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkKeysTest {
  @Test
  void decodeEventKey_turnsPlusIntoSpaceAndDecodesPercentEscapes() {
    assertThat(ChunkKeys.decodeEventKey("transactions/nightly+2026-11-27%2Cv2.csv"))
        .isEqualTo("transactions/nightly 2026-11-27,v2.csv");
    assertThat(ChunkKeys.decodeEventKey("transactions/a%2Bb.csv"))
        .isEqualTo("transactions/a+b.csv");
  }

  @Test
  void fileId_dependsOnKeyAndContentTag_only() {
    String a = ChunkKeys.fileId("transactions/a.csv", "\"abc\"");
    assertThat(a).hasSize(32).isEqualTo(ChunkKeys.fileId("transactions/a.csv", "abc"));
    assertThat(a).isNotEqualTo(ChunkKeys.fileId("transactions/a.csv", "abd"));
    assertThat(a).isNotEqualTo(ChunkKeys.fileId("transactions/b.csv", "abc"));
  }

  @Test
  void chunkKeys_roundTrip_andMatchTheLoaderTrigger() {
    String key = ChunkKeys.chunk("0123456789abcdef0123456789abcdef", 12);
    assertThat(key)
        .isEqualTo("chunks/transactions/0123456789abcdef0123456789abcdef/000012.ndjson.gz");
    assertThat(com.cdp.model.wiring.Triggers.TRANSACTION_CHUNKS.matches(key)).isTrue();
    assertThat(ChunkKeys.parseChunk(key))
        .contains(new ChunkKeys.ChunkRef("0123456789abcdef0123456789abcdef", 12));
    assertThat(ChunkKeys.parseChunk("chunks/transactions/x/summaries/000001.json")).isEmpty();
    assertThat(com.cdp.model.wiring.Triggers.TRANSACTION_CHUNKS.matches(ChunkKeys.summary("x", 1)))
        .isFalse();
  }

  @Test
  void reportKeys_sitUnderReports_withoutTheCsvExtension_andNeverTriggerTheChunker() {
    assertThat(ChunkKeys.report("transactions/2026/11/a.csv"))
        .isEqualTo("transactions/reports/2026/11/a.report.json");
    assertThat(ChunkKeys.rejects("transactions/a.CSV"))
        .isEqualTo("transactions/reports/a.rejects.csv");
    assertThat(
            com.cdp.model.wiring.Triggers.TRANSACTION_FILES.matches(
                ChunkKeys.rejects("transactions/a.csv")))
        .isFalse();
  }
}
