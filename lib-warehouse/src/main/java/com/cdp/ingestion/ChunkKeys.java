package com.cdp.ingestion;

import com.cdp.model.wiring.Triggers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Object keys of a transactions file's processing, all in the organization's own data-delivery
 * bucket (so the organization is always decided by the bucket). Every key derives from the file's
 * identity (its key and content ETag), so a re-run replaces objects instead of adding new ones.
 *
 * <pre>
 * transactions/NAME.csv                                   the upload
 * transactions/reports/NAME.report.json                   the report (CONTRACTS 1a)
 * transactions/reports/NAME.rejects.csv                   every reject, when the JSON is capped
 * chunks/transactions/FILEID/000001.ndjson.gz             chunk 1 (triggers the loader)
 * chunks/transactions/FILEID/summaries/000001.json        accounts touched by chunk 1
 * chunks/transactions/FILEID/report.json                  the chunker's part of the report
 * </pre>
 */
public final class ChunkKeys {
  private static final String FILES = Triggers.TRANSACTION_FILES.prefix();
  private static final String CHUNKS = Triggers.TRANSACTION_CHUNKS.prefix();
  private static final String CHUNK_SUFFIX = Triggers.TRANSACTION_CHUNKS.suffix();
  private static final String REPORTS = Triggers.TRANSACTION_FILES.excludedPrefix();

  private ChunkKeys() {}

  /** An object key from an S3 event: URL-encoded, with '+' for spaces. */
  public static String decodeEventKey(String encoded) {
    return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
  }

  /** The file's identity: 32 hex characters of SHA-256 over its key and ETag. */
  public static String fileId(String key, String eTag) {
    String tag = eTag == null ? "" : eTag.replace("\"", "");
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((key + "\n" + tag).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  public static String chunk(String fileId, int number) {
    return CHUNKS + fileId + "/" + String.format("%06d", number) + CHUNK_SUFFIX;
  }

  public static String summary(String fileId, int number) {
    return CHUNKS + fileId + "/summaries/" + String.format("%06d", number) + ".json";
  }

  public static String interimReport(String fileId) {
    return CHUNKS + fileId + "/report.json";
  }

  /**
   * The final report's copy, written before the file is marked finished: whoever finds the file
   * finished after writing the report (a duplicate chunker run) restores the report from it.
   */
  public static String finalReport(String fileId) {
    return CHUNKS + fileId + "/report.final.json";
  }

  /** A chunk key's file id and number, or empty when the key is not a chunk. */
  public static Optional<ChunkRef> parseChunk(String key) {
    if (!key.startsWith(CHUNKS) || !key.endsWith(CHUNK_SUFFIX)) {
      return Optional.empty();
    }
    String rest = key.substring(CHUNKS.length(), key.length() - CHUNK_SUFFIX.length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ChunkRef(rest.substring(0, slash), Integer.parseInt(rest.substring(slash + 1))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A chunk's file and 1-based number. */
  public record ChunkRef(String fileId, int number) {}

  /** {@code transactions/a/b.csv} -> {@code a/b} (the name reports are filed under). */
  static String name(String fileKey) {
    String name = fileKey.startsWith(FILES) ? fileKey.substring(FILES.length()) : fileKey;
    if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
      name = name.substring(0, name.length() - 4);
    }
    return name;
  }

  public static String report(String fileKey) {
    return REPORTS + name(fileKey) + ".report.json";
  }

  public static String rejects(String fileKey) {
    return REPORTS + name(fileKey) + ".rejects.csv";
  }
}
