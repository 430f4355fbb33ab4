package com.cdp.ingestion.chunker;

import com.cdp.ingestion.ChunkKeys;
import com.cdp.ingestion.FileReport;
import com.cdp.ingestion.IngestionFiles;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.config.Buckets;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.wiring.Triggers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Chunks one uploaded transactions file: validates it row by row, writes the chunks and the report,
 * and records the file's progress so the loaders can finish it. Idempotent: the file's identity
 * (key and ETag) names every object it writes, and a file already finished is left alone.
 */
public final class ChunkerService {
  /** What happened to one object. */
  public enum Outcome {
    CHUNKED,
    FINISHED_WITHOUT_CHUNKS,
    ALREADY_INGESTED,
    IGNORED,
    GONE,
    /** Under {@code transactions/} but not named {@code *.csv}: answered with a rejected report. */
    NOT_CSV
  }

  private final S3Client s3;
  private final IngestionFiles files;
  private final Buckets buckets;
  private final ChunkLimits limits;
  private final Clock clock;

  public ChunkerService(
      S3Client s3, IngestionFiles files, Buckets buckets, ChunkLimits limits, Clock clock) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.files = Objects.requireNonNull(files, "files");
    this.buckets = Objects.requireNonNull(buckets, "buckets");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The organization whose bucket this is, if it is a data-delivery bucket. */
  public Optional<OrganizationId> organizationOf(String bucket) {
    return buckets.organizationOf(bucket);
  }

  public Outcome chunk(String bucket, String key, String eTag, RequestLog log) {
    Optional<OrganizationId> organization = buckets.organizationOf(bucket);
    if (organization.isEmpty() || !Triggers.TRANSACTION_FILES.matches(key)) {
      log.event("ignore", "not a transactions file in a data-delivery bucket", Map.of("key", key));
      return Outcome.IGNORED;
    }
    OrganizationId org = organization.get();
    if (!Triggers.isCsv(key)) {
      Instant now = clock.instant();
      FileReport rejected =
          new FileReport(
              key,
              org.value(),
              FileReport.REJECTED,
              0,
              0,
              0,
              List.of(),
              List.of(),
              null,
              null,
              Triggers.NOT_CSV,
              0,
              now,
              now);
      putJson(bucket, ChunkKeys.report(key), rejected.toJson());
      log.event("rejected", Triggers.NOT_CSV, Map.of("key", key));
      return Outcome.NOT_CSV;
    }
    String fileId = ChunkKeys.fileId(key, eTag);
    log.put("fileId", fileId);
    Optional<IngestionFiles.FileState> state = files.get(org, fileId);
    String flow = log.joinFlow(flowOf(bucket, key, eTag, state));
    if (state.isPresent() && state.get().finalized()) {
      log.event(
          "alreadyIngested",
          "this exact file (same key and content) was already ingested; nothing to do",
          Map.of("key", key, "fileId", fileId));
      return Outcome.ALREADY_INGESTED;
    }
    Instant started = clock.instant();
    files.start(org, fileId, bucket, key, started, flow);
    CsvChunker.Result result;
    // Read exactly the object the event announced: a newer upload has its own event and identity.
    try (InputStream in =
        s3.getObject(
            r -> {
              r.bucket(bucket).key(key);
              if (eTag != null && !eTag.isBlank()) {
                r.ifMatch(eTag.startsWith("\"") ? eTag : "\"" + eTag + "\"");
              }
            })) {
      CsvChunker chunker =
          new CsvChunker(
              limits,
              chunk -> putChunk(bucket, fileId, chunk, flow),
              first -> openRejects(bucket, key, first));
      result = chunker.run(in);
    } catch (NoSuchKeyException e) {
      log.event("gone", "the object was deleted before it could be read", Map.of("key", key));
      return Outcome.GONE;
    } catch (S3Exception e) {
      if (e.statusCode() != 412) {
        throw e;
      }
      log.event(
          "superseded",
          "the object was replaced after this event; its own event follows",
          Map.of("key", key));
      return Outcome.GONE;
    } catch (IOException e) {
      throw new UncheckedIOException("reading s3://" + bucket + "/" + key, e);
    }
    FileReport report =
        new FileReport(
            key,
            org.value(),
            result.error() != null ? FileReport.REJECTED : FileReport.LOADING,
            result.rowsRead(),
            0,
            result.rowsRejected(),
            result.warnings(),
            result.rejects(),
            result.rejectsTruncated() ? Boolean.TRUE : null,
            result.rejectsTruncated() ? ChunkKeys.rejects(key) : null,
            result.error(),
            result.chunks(),
            started,
            null);
    log.event(
        "chunked",
        "validated the file and wrote its chunks",
        Map.of(
            "rowsRead", result.rowsRead(),
            "rowsRejected", result.rowsRejected(),
            "chunks", result.chunks()));
    if (result.last() == null) {
      FileReport done = report.completed(0, clock.instant());
      putJson(bucket, ChunkKeys.report(key), done.toJson());
      files.markFinalized(org, fileId, done.status(), clock.instant());
      log.event("reported", "nothing to load; report finished", Map.of("status", done.status()));
      return Outcome.FINISHED_WITHOUT_CHUNKS;
    }
    if (!files.recordChunked(
        org,
        fileId,
        result.chunks(),
        result.rowsRead(),
        result.rowsRejected(),
        result.rowsAccepted())) {
      log.event("alreadyIngested", "another run finished this file meanwhile", Map.of());
      return Outcome.ALREADY_INGESTED;
    }
    byte[] json = report.toJson();
    putJson(bucket, ChunkKeys.interimReport(fileId), json);
    putJson(bucket, ChunkKeys.report(key), json);
    // A duplicate delivery can race the loader that finishes the file: if the file was finished
    // meanwhile, our "loading" may have landed on its final report. The loader writes a copy
    // before marking the file finished, so put the final report back from it.
    if (files.get(org, fileId).map(IngestionFiles.FileState::finalized).orElse(false)) {
      restoreFinalReport(bucket, fileId, key);
      log.event(
          "alreadyIngested",
          "the file was finished while this run reported; its final report stands",
          Map.of());
      return Outcome.ALREADY_INGESTED;
    }
    putChunk(bucket, fileId, result.last(), flow);
    return Outcome.CHUNKED;
  }

  /**
   * The file's flow id: the one already recorded for it, else the upload's metadata {@code
   * transaction-id}, else one derived from bucket, key and version (or ETag), so every retry of an
   * upload that carries none still logs under one id.
   */
  private String flowOf(
      String bucket, String key, String eTag, Optional<IngestionFiles.FileState> state) {
    if (state.isPresent() && state.get().transactionId().isPresent()) {
      return state.get().transactionId().get();
    }
    try {
      HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
      if (eTag != null
          && head.eTag() != null
          && !head.eTag().replace("\"", "").equals(eTag.replace("\"", ""))) {
        // Replaced since the event: that object's metadata is not this file's.
        return TransactionIds.derive(bucket, key, eTag);
      }
      String given = TransactionIds.fromMetadata(head.metadata());
      if (given != null) {
        return given;
      }
      String version = head.versionId() != null ? head.versionId() : eTag;
      return TransactionIds.derive(bucket, key, String.valueOf(version));
    } catch (S3Exception e) {
      return TransactionIds.derive(bucket, key, String.valueOf(eTag));
    }
  }

  private void putChunk(String bucket, String fileId, ChunkSink.Chunk chunk, String flow) {
    s3.putObject(
        r ->
            r.bucket(bucket)
                .key(ChunkKeys.chunk(fileId, chunk.number()))
                .contentType("application/x-ndjson")
                .contentEncoding("gzip")
                .metadata(
                    Map.of("rows", Integer.toString(chunk.rows()), TransactionIds.METADATA, flow)),
        RequestBody.fromBytes(chunk.gzipped()));
  }

  private RejectsWriter openRejects(String bucket, String key, List<FileReport.Reject> first) {
    try {
      RejectsWriter writer =
          new RejectsWriter(
              new S3MultipartOutputStream(s3, bucket, ChunkKeys.rejects(key), "text/csv"));
      for (FileReport.Reject r : first) {
        writer.write(r);
      }
      return writer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void restoreFinalReport(String bucket, String fileId, String key) {
    byte[] json =
        s3.getObjectAsBytes(r -> r.bucket(bucket).key(ChunkKeys.finalReport(fileId))).asByteArray();
    putJson(bucket, ChunkKeys.report(key), json);
  }

  private void putJson(String bucket, String key, byte[] json) {
    s3.putObject(
        r -> r.bucket(bucket).key(key).contentType("application/json"),
        RequestBody.fromBytes(json));
  }
}
