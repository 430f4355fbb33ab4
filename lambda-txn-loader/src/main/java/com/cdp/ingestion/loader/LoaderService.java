package com.cdp.ingestion.loader;

import com.cdp.ingestion.ChunkKeys;
import com.cdp.ingestion.FileReport;
import com.cdp.ingestion.IngestionFiles;
import com.cdp.logging.RequestLog;
import com.cdp.logging.TransactionIds;
import com.cdp.model.config.Buckets;
import com.cdp.model.event.Topic;
import com.cdp.model.id.OrganizationId;
import com.cdp.warehouse.AccountActivities;
import com.cdp.warehouse.AccountActivity;
import com.cdp.warehouse.TransactionEvents;
import com.cdp.warehouse.TransactionRow;
import com.cdp.warehouse.TransactionWritePath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Loads one chunk into the warehouse and, when it is the file's last chunk to finish, completes the
 * file: ownership records and one {@code account_transactionadded} per account of the whole file,
 * then the final report. Idempotent: items have deterministic keys, a chunk is counted once (a
 * conditional update in the INGESTION table), and events carry deterministic ids.
 */
public final class LoaderService {
  /** What happened to one chunk. */
  public enum Outcome {
    LOADED,
    LOADED_AND_FINISHED_FILE,
    ALREADY_LOADED,
    IGNORED
  }

  private final S3Client s3;
  private final IngestionFiles files;
  private final TransactionWritePath writePath;
  private final Buckets buckets;
  private final Clock clock;

  public LoaderService(
      S3Client s3,
      IngestionFiles files,
      TransactionWritePath writePath,
      Buckets buckets,
      Clock clock) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.files = Objects.requireNonNull(files, "files");
    this.writePath = Objects.requireNonNull(writePath, "writePath");
    this.buckets = Objects.requireNonNull(buckets, "buckets");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Optional<OrganizationId> organizationOf(String bucket) {
    return buckets.organizationOf(bucket);
  }

  public Outcome load(String bucket, String key, RequestLog log) {
    Optional<OrganizationId> organization = buckets.organizationOf(bucket);
    Optional<ChunkKeys.ChunkRef> ref = ChunkKeys.parseChunk(key);
    if (organization.isEmpty() || ref.isEmpty()) {
      log.event("ignore", "not a transaction chunk in a data-delivery bucket", Map.of("key", key));
      return Outcome.IGNORED;
    }
    OrganizationId org = organization.get();
    String fileId = ref.get().fileId();
    int number = ref.get().number();
    log.put("fileId", fileId);
    log.put("chunk", number);
    Optional<IngestionFiles.FileState> before = files.get(org, fileId);
    // The file's flow id, recorded by the chunker: a loader logs under it (the one that finishes
    // the file too), and the events it publishes carry it.
    before.flatMap(IngestionFiles.FileState::transactionId).ifPresent(log::joinFlow);
    if (before.isPresent() && before.get().doneChunks().contains(number)) {
      log.event("alreadyLoaded", "chunk was loaded before", Map.of());
      if (before.get().finalized()) {
        // A retry after a crash between marking the file finished and writing its report.
        restoreFinalReport(bucket, fileId, before.get().fileKey());
      }
      return finishIfDue(org, fileId, bucket, before.get(), log)
          ? Outcome.LOADED_AND_FINISHED_FILE
          : Outcome.ALREADY_LOADED;
    }
    List<TransactionRow> rows;
    try {
      rows = readChunk(bucket, key, log);
    } catch (NoSuchKeyException e) {
      log.event("gone", "the chunk was replaced or deleted before it could be read", Map.of());
      return Outcome.IGNORED;
    }
    String source = "file:" + before.map(IngestionFiles.FileState::fileKey).orElse(fileId);
    Instant now = clock.instant();
    int written = writePath.writeRows(org, source, now, rows);
    AccountActivities activities = new AccountActivities();
    for (TransactionRow row : rows) {
      activities.add(row);
    }
    s3.putObject(
        r ->
            r.bucket(bucket).key(ChunkKeys.summary(fileId, number)).contentType("application/json"),
        RequestBody.fromBytes(activities.toJson()));
    log.event(
        "loaded",
        "wrote the chunk's transactions",
        Map.of("rows", rows.size(), "items", written, "accounts", activities.size()));
    Optional<IngestionFiles.FileState> after =
        files.recordChunkLoaded(org, fileId, number, rows.size());
    IngestionFiles.FileState state =
        after.isPresent() ? after.get() : files.get(org, fileId).orElseThrow();
    return finishIfDue(org, fileId, bucket, state, log)
        ? Outcome.LOADED_AND_FINISHED_FILE
        : Outcome.LOADED;
  }

  private boolean finishIfDue(
      OrganizationId org,
      String fileId,
      String bucket,
      IngestionFiles.FileState state,
      RequestLog log) {
    if (!state.complete() || state.finalized()) {
      return false;
    }
    AccountActivities all = new AccountActivities();
    for (int i = 1; i <= state.totalChunks().orElseThrow(); i++) {
      for (AccountActivity a :
          AccountActivities.fromJson(read(bucket, ChunkKeys.summary(fileId, i)))) {
        all.merge(a);
      }
    }
    List<AccountActivity> accounts = all.list();
    writePath.writeOwnership(org, accounts);
    List<TransactionEvents.Announcement> announcements = new ArrayList<>(accounts.size());
    for (AccountActivity a : accounts) {
      announcements.add(
          new TransactionEvents.Announcement(
              a,
              TransactionEvents.eventId(
                  Topic.ACCOUNT_TRANSACTION_ADDED.detailType(),
                  org.value(),
                  fileId,
                  a.accountId())));
    }
    int published = writePath.announce(org, announcements, log.transactionId());
    FileReport interim = FileReport.fromJson(read(bucket, ChunkKeys.interimReport(fileId)));
    FileReport done = interim.completed(state.rowsLoaded(), clock.instant());
    byte[] json = done.toJson();
    // Copy first, then the state, then the report: a duplicate chunker run that writes "loading"
    // while this runs either writes before our report (which then wins) or sees the file finished
    // when it checks after writing, and restores the report from the copy (ChunkerService).
    s3.putObject(
        r -> r.bucket(bucket).key(ChunkKeys.finalReport(fileId)).contentType("application/json"),
        RequestBody.fromBytes(json));
    files.markFinalized(org, fileId, done.status(), clock.instant());
    s3.putObject(
        r ->
            r.bucket(bucket).key(ChunkKeys.report(state.fileKey())).contentType("application/json"),
        RequestBody.fromBytes(json));
    log.event(
        "finished",
        "file complete: ownership recorded, events published, report written",
        Map.of(
            "accounts", accounts.size(),
            "events", published,
            "rowsLoaded", done.rowsLoaded(),
            "status", done.status()));
    return true;
  }

  private List<TransactionRow> readChunk(String bucket, String key, RequestLog log) {
    List<TransactionRow> rows = new ArrayList<>();
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(key));
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(new GZIPInputStream(in, 1 << 16), StandardCharsets.UTF_8))) {
      log.joinFlow(TransactionIds.fromMetadata(in.response().metadata()));
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isEmpty()) {
          rows.add(TransactionRow.fromJsonLine(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading chunk s3://" + bucket + "/" + key, e);
    }
    return rows;
  }

  private void restoreFinalReport(String bucket, String fileId, String fileKey) {
    byte[] json;
    try {
      json = read(bucket, ChunkKeys.finalReport(fileId));
    } catch (NoSuchKeyException e) {
      return; // finished by the chunker itself, or before final copies existed
    }
    s3.putObject(
        r -> r.bucket(bucket).key(ChunkKeys.report(fileKey)).contentType("application/json"),
        RequestBody.fromBytes(json));
  }

  private byte[] read(String bucket, String key) {
    return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
  }
}
