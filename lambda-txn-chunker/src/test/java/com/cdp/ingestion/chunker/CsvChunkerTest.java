package com.cdp.ingestion.chunker;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.ingestion.FileReport;
import com.cdp.model.json.Json;
import com.cdp.warehouse.TransactionRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CsvChunkerTest {
  private static final String HEADER =
      "memberId,accountId,transactionId,postedDate,amount,description\r\n";

  private final List<ChunkSink.Chunk> sent = new ArrayList<>();
  private final ByteArrayOutputStream overflow = new ByteArrayOutputStream();
  private ChunkLimits limits = ChunkLimits.standard();

  private CsvChunker.Result run(byte[] bytes) throws IOException {
    return run(new ByteArrayInputStream(bytes));
  }

  private CsvChunker.Result run(InputStream in) throws IOException {
    CsvChunker chunker =
        new CsvChunker(
            limits,
            sent::add,
            first -> {
              try {
                RejectsWriter w = new RejectsWriter(overflow);
                for (FileReport.Reject r : first) {
                  w.write(r);
                }
                return w;
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    CsvChunker.Result result = chunker.run(in);
    if (result.last() != null) {
      sent.add(result.last());
    }
    return result;
  }

  private CsvChunker.Result run(String text) throws IOException {
    return run(text.getBytes(StandardCharsets.UTF_8));
  }

  private List<TransactionRow> rows() throws IOException {
    List<TransactionRow> rows = new ArrayList<>();
    for (ChunkSink.Chunk c : sent) {
      String text =
          new String(
              new GZIPInputStream(new ByteArrayInputStream(c.gzipped())).readAllBytes(),
              StandardCharsets.UTF_8);
      text.lines().forEach(l -> rows.add(TransactionRow.fromJson(Json.tree(l))));
    }
    return rows;
  }

  private static void assertBalanced(CsvChunker.Result r) {
    assertThat(r.rowsRead()).isEqualTo(r.rowsAccepted() + r.rowsRejected());
  }

  @Test
  void chunk_whenFileHasBomAndCrlf_readsHeaderAndValuesWithoutEitherMark() throws IOException {
    CsvChunker.Result r =
        run(
            "\uFEFF"
                + HEADER
                + "M1,A1,T1,2026-11-27,-12.5,COFFEE\r\nM1,A1,T2,2026-11-27,3,TEA\r\n");
    assertThat(r.error()).isNull();
    assertThat(r.rowsAccepted()).isEqualTo(2);
    assertThat(rows()).extracting(TransactionRow::description).containsExactly("COFFEE", "TEA");
    assertThat(rows().get(0).amount()).isEqualTo("-12.50");
    assertBalanced(r);
  }

  @Test
  void chunk_whenHeaderIsInAnyOrderAndCase_mapsColumnsByName() throws IOException {
    CsvChunker.Result r =
        run(
            "AMOUNT,Description,ACCOUNTID,memberid,TransactionId,postedDATE,Extra\n"
                + "1.00,X,A1,M1,T1,2026-11-27,ignored\n");
    assertThat(r.rowsAccepted()).isEqualTo(1);
    assertThat(r.warnings()).anyMatch(w -> w.contains("Extra"));
    assertThat(rows().get(0).accountId()).isEqualTo("A1");
  }

  @Test
  void chunk_whenBlankLinesAppear_skipsThemAndWarns() throws IOException {
    CsvChunker.Result r =
        run("\n" + HEADER + "\r\nM1,A1,T1,2026-11-27,1,X\n   \nM1,A1,T2,2026-11-27,1,Y\n\n");
    assertThat(r.rowsRead()).isEqualTo(2);
    assertThat(r.rowsAccepted()).isEqualTo(2);
    assertThat(r.warnings()).anyMatch(w -> w.contains("blank line"));
  }

  @Test
  void chunk_whenDescriptionHasQuotedCommasAndNewlines_keepsThemInOneRow() throws IOException {
    CsvChunker.Result r =
        run(
            HEADER
                + "M1,A1,T1,2026-11-27,1,\"ACME, INC\nSTORE \"\"7\"\"\"\nM1,A1,T2,2026-11-27,2,NEXT\n");
    assertThat(r.rowsAccepted()).isEqualTo(2);
    assertThat(rows().get(0).description()).isEqualTo("ACME, INC\nSTORE \"7\"");
    assertBalanced(r);
  }

  @Test
  void chunk_whenRequiredColumnIsMissing_rejectsTheWholeFileWithAClearReason() throws IOException {
    CsvChunker.Result r =
        run(
            "memberId,transactionId,postedDate,amount,description\nM1,T1,2026-11-27,1,X\nM1,T2,2026-11-27,1,Y\n");
    assertThat(r.error()).contains("accountId").contains("missing");
    assertThat(r.rowsRead()).isEqualTo(2);
    assertThat(r.rowsRejected()).isEqualTo(2);
    assertThat(r.rowsAccepted()).isZero();
    assertThat(sent).isEmpty();
    assertBalanced(r);
  }

  @Test
  void chunk_whenFileIsEmpty_rejectsItAsEmpty() throws IOException {
    CsvChunker.Result r = run(new byte[0]);
    assertThat(r.error()).contains("empty");
    assertThat(r.rowsRead()).isZero();
  }

  @Test
  void chunk_whenFileHasOnlyTheHeader_loadsNothingAndWarns() throws IOException {
    CsvChunker.Result r = run(HEADER);
    assertThat(r.error()).isNull();
    assertThat(r.rowsRead()).isZero();
    assertThat(r.last()).isNull();
    assertThat(r.warnings()).anyMatch(w -> w.contains("no transaction rows"));
  }

  @Test
  void chunk_whenRowHasBytesThatAreNotUtf8_rejectsThatRowWithColumnAndKeepsTheOthers()
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes((HEADER + "M1,A1,T1,2026-11-27,1,CAF").getBytes(StandardCharsets.UTF_8));
    bytes.write(0xE9); // Latin-1 e-acute: not UTF-8
    bytes.writeBytes("\r\nM1,A1,T2,2026-11-27,1,OK\r\n".getBytes(StandardCharsets.UTF_8));
    CsvChunker.Result r = run(bytes.toByteArray());
    assertThat(r.rowsAccepted()).isEqualTo(1);
    assertThat(r.rejects())
        .containsExactly(
            new FileReport.Reject(
                2, "description", "description contains bytes that are not valid UTF-8"));
  }

  @Test
  void chunk_whenRowHasFewerOrMoreFieldsThanHeader_rejectsItAsMalformedWithItsLine()
      throws IOException {
    CsvChunker.Result r =
        run(
            HEADER
                + "M1,A1,T1,2026-11-27,1.00,OK\n"
                + "M1,A1,T2,2026-11-27,1.00\n"
                + "M1,A1,T3,2026-11-27,1.00,OK,extra\n");
    assertThat(r.rowsAccepted()).isEqualTo(1);
    assertThat(r.rejects())
        .containsExactly(
            new FileReport.Reject(3, "(row)", "the row has 5 fields; the header has 6"),
            new FileReport.Reject(4, "(row)", "the row has 7 fields; the header has 6"));
    assertBalanced(r);
  }

  @Test
  void chunk_whenRowHasThreeFractionDigits_rejectsRowWithLineNumber() throws IOException {
    CsvChunker.Result r =
        run(HEADER + "M1,A1,T1,2026-11-27,1.00,OK\nM1,A1,T2,2026-11-27,-10.005,BAD\n");
    assertThat(r.rejects()).hasSize(1);
    FileReport.Reject reject = r.rejects().get(0);
    assertThat(reject.line()).isEqualTo(3);
    assertThat(reject.column()).isEqualTo("amount");
    assertThat(reject.reason()).contains("at most 2 fraction digits");
    assertBalanced(r);
  }

  @Test
  void chunk_whenOneFieldIsTenMegabytes_rejectsThatRowWithoutHoldingIt_andReadsOn()
      throws IOException {
    InputStream head =
        new ByteArrayInputStream(
            (HEADER + "M1,A1,T1,2026-11-27,1,\"").getBytes(StandardCharsets.UTF_8));
    InputStream huge =
        new InputStream() {
          long left = 10L << 20;

          @Override
          public int read() {
            return left-- > 0 ? 'x' : -1;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (left <= 0) {
              return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            left -= n;
            return n;
          }
        };
    InputStream tail =
        new ByteArrayInputStream(
            "\"\nM1,A1,T2,2026-11-27,1,AFTER\n".getBytes(StandardCharsets.UTF_8));
    CsvChunker.Result r =
        run(new SequenceInputStream(Collections.enumeration(List.of(head, huge, tail))));
    assertThat(r.rowsRead()).isEqualTo(2);
    assertThat(r.rejects()).hasSize(1);
    assertThat(r.rejects().get(0).line()).isEqualTo(2);
    assertThat(r.rejects().get(0).reason()).contains("longer than");
    assertThat(rows()).extracting(TransactionRow::transactionId).containsExactly("T2");
  }

  @Test
  void chunk_whenRowsRepeat_acceptsEachCopy_soTheLoaderCanWriteOneItem() throws IOException {
    String row = "M1,A1,T1,2026-11-27,1,X\n";
    CsvChunker.Result r = run(HEADER + row + row);
    assertThat(r.rowsAccepted()).isEqualTo(2);
    assertThat(rows()).extracting(TransactionRow::transactionId).containsExactly("T1", "T1");
  }

  @Test
  void chunk_whenObjectIsNotCsvAtAll_rejectsTheFile() throws IOException {
    byte[] png = {
      (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'
    };
    CsvChunker.Result r = run(png);
    assertThat(r.error()).contains("not a UTF-8 CSV");
    assertThat(r.rowsRead()).isZero();
  }

  @Test
  void chunk_whenTextHasNoKnownColumn_saysItIsNotATransactionsFile() throws IOException {
    CsvChunker.Result r = run("hello world\nthis is a letter\n");
    assertThat(r.error()).contains("does not look like a transactions CSV");
  }

  @Test
  void chunk_whenAQuoteIsNeverClosed_rejectsThatLineAndRecoversTheLinesItSwallowed()
      throws IOException {
    StringBuilder csv = new StringBuilder(HEADER + "M1,A1,T0,2026-11-27,1,\"OPEN QUOTE\n");
    for (int i = 1; i <= 12; i++) {
      csv.append("M1,A1,T").append(i).append(",2026-11-27,1,ROW\n");
    }
    CsvChunker.Result r = run(csv.toString());
    assertThat(r.rejects()).hasSize(1);
    assertThat(r.rejects().get(0).line()).isEqualTo(2);
    assertThat(r.rowsAccepted()).isEqualTo(12);
    assertBalanced(r);
  }

  @Test
  void chunk_whenEveryRuleIsBroken_namesTheColumnOfEach() throws IOException {
    CsvChunker.Result r =
        run(
            "memberId,accountId,transactionId,postedDate,amount,description,runningBalance,type,checkNumber,merchantCategoryCode\n"
                + "M 1,A1,T1,2026-11-27,1,X,,,,\n"
                + "M1,,T2,2026-11-27,1,X,,,,\n"
                + "M1,A1,T3,11/27/2026,1,X,,,,\n"
                + "M1,A1,T4,2026-02-30,1,X,,,,\n"
                + "M1,A1,T5,2026-11-27,1e3,X,,,,\n"
                + "M1,A1,T6,2026-11-27,1,,,,,\n"
                + "M1,A1,T7,2026-11-27,1,X,1.234,,,\n"
                + "M1,A1,T8,2026-11-27,1,X,,PURCHASE,,\n"
                + "M1,A1,T9,2026-11-27,1,X,,,12a,\n"
                + "M1,A1,T10,2026-11-27,1,X,,,,541\n"
                + "M1,A1,T11,2026-11-27T10:15:00-05:00,1,X,2.5,credit,1001,5411\n");
    assertThat(r.rejects())
        .extracting(FileReport.Reject::column)
        .containsExactly(
            "memberId",
            "accountId",
            "postedDate",
            "postedDate",
            "amount",
            "description",
            "runningBalance",
            "type",
            "checkNumber",
            "merchantCategoryCode");
    TransactionRow good = rows().get(0);
    assertThat(good.postedDate()).isEqualTo("2026-11-27");
    assertThat(good.postedAt()).isEqualTo("2026-11-27T10:15:00-05:00");
    assertThat(good.type()).isEqualTo("CREDIT");
    assertThat(good.runningBalance()).isEqualTo("2.50");
  }

  @Test
  void chunk_whenRejectsPassTheCap_streamsAllOfThemToTheCsv_withFormulaSafeCells()
      throws IOException {
    StringBuilder csv = new StringBuilder(HEADER);
    int bad = FileReport.MAX_REJECTS_IN_JSON + 5;
    for (int i = 0; i < bad; i++) {
      csv.append("M1,A1,T").append(i).append(",2026-11-27,=HYPERLINK(1),X\n");
    }
    CsvChunker.Result r = run(csv.toString());
    assertThat(r.rejects()).hasSize(FileReport.MAX_REJECTS_IN_JSON);
    assertThat(r.rejectsTruncated()).isTrue();
    List<String> lines = overflow.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(bad + 1);
    assertThat(lines.get(1)).startsWith("2,amount,").doesNotContain(",=");
    assertThat(lines.get(1)).contains("'=HYPERLINK");
  }

  @Test
  void chunk_whenRowsExceedTheChunkSize_sendsAllButTheLastChunkAndHoldsTheLastBack()
      throws IOException {
    limits = new ChunkLimits(10, 1 << 20, 16_384, 10);
    StringBuilder csv = new StringBuilder(HEADER);
    for (int i = 0; i < 35; i++) {
      csv.append("M1,A1,T").append(i).append(",2026-11-27,1,X\n");
    }
    CsvChunker chunker = new CsvChunker(limits, sent::add, f -> null);
    CsvChunker.Result r =
        chunker.run(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(r.chunks()).isEqualTo(4);
    assertThat(sent).extracting(ChunkSink.Chunk::number).containsExactly(1, 2, 3);
    assertThat(r.last().number()).isEqualTo(4);
    assertThat(r.last().rows()).isEqualTo(5);
  }
}
