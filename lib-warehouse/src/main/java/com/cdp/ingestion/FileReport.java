package com.cdp.ingestion;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The report of one transactions file (CONTRACTS 1a): {@code rowsRead = rowsLoaded + rowsRejected}
 * once finished. The chunker writes it with status {@code loading}; the loader of the last chunk
 * completes it. Rejects are capped at {@link #MAX_REJECTS_IN_JSON}; then {@code rejectsFile} names
 * the CSV with all of them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileReport(
    String file,
    String organizationId,
    String status,
    long rowsRead,
    long rowsLoaded,
    long rowsRejected,
    List<String> warnings,
    List<Reject> rejects,
    Boolean rejectsTruncated,
    String rejectsFile,
    String error,
    Integer chunks,
    Instant startedAt,
    Instant finishedAt) {
  public static final int MAX_REJECTS_IN_JSON = 1000;

  /** Chunks are being loaded. */
  public static final String LOADING = "loading";

  /** Every row was loaded. */
  public static final String LOADED = "loaded";

  /** Good rows were loaded; some rows were rejected. */
  public static final String LOADED_WITH_REJECTS = "loaded_with_rejects";

  /** Nothing was loaded: the file itself is unusable (see {@code error}). */
  public static final String REJECTED = "rejected";

  /** One rejected row: 1-based line where the record starts, the column, why. */
  public record Reject(long line, String column, String reason) {}

  public FileReport {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(status, "status");
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    rejects = rejects == null ? List.of() : List.copyOf(rejects);
  }

  /** The same report, finished by the loader. */
  public FileReport completed(long loaded, Instant finished) {
    String finalStatus =
        REJECTED.equals(status) ? REJECTED : rowsRejected > 0 ? LOADED_WITH_REJECTS : LOADED;
    return new FileReport(
        file,
        organizationId,
        finalStatus,
        rowsRead,
        loaded,
        rowsRejected,
        warnings,
        rejects,
        rejectsTruncated,
        rejectsFile,
        error,
        chunks,
        startedAt,
        finished);
  }

  public byte[] toJson() {
    return Json.writeBytes(this);
  }

  public static FileReport fromJson(byte[] json) {
    return Json.read(new String(json, java.nio.charset.StandardCharsets.UTF_8), FileReport.class);
  }
}
