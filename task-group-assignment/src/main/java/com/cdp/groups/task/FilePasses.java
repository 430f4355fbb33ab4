package com.cdp.groups.task;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The file, read once per phase instead of held: the first pass validates every row on its own and
 * fills the {@link RowIndex}; each later pass hands out the same rows again, validated and
 * cross-checked. The object version is pinned (version id or ETag), so every pass reads the same
 * bytes. Memory stays that of the index (about 40 bytes per row), not of the rows.
 */
final class FilePasses {
  /** Opens the file again. */
  interface Opener {
    InputStream open() throws IOException;
  }

  private final Opener opener;
  private final FileValidator validator;
  private final RowIndex index;
  private FileValidator.Scan first;

  FilePasses(Opener opener, FileValidator validator, RowIndex index) {
    this.opener = opener;
    this.validator = validator;
    this.index = index;
  }

  /** A file that is not read at all (its name is refused): no rows, one file problem. */
  static FilePasses refused(FileValidator validator, String problem) {
    FilePasses passes =
        new FilePasses(
            () -> InputStream.nullInputStream(), validator, new RowIndex(validator.groups()));
    passes.first = new FileValidator.Scan(java.util.List.of(problem), java.util.List.of(), 0, 0);
    return passes;
  }

  /** The first pass (throws IOException when the file cannot be read). */
  FileValidator.Scan first() throws IOException {
    if (first == null) {
      try (InputStream in = opener.open()) {
        first =
            validator.scan(
                in,
                row -> {
                  if (row.isValid()) {
                    index.add(row);
                  }
                  return true;
                });
      }
    }
    return first;
  }

  /** Rows valid on their own, minus those the cross-check rejects. */
  long rejected() {
    return first.rejectedOnOwn() + (first.crossCheck() ? index.rejected() : 0);
  }

  RowIndex index() {
    return index;
  }

  /** A later pass: each data row in file order, validated and cross-checked. */
  void forEach(FileValidator.RowSink sink) {
    if (first.rows() == 0) {
      return;
    }
    try (InputStream in = opener.open()) {
      validator.scan(
          in,
          row -> {
            if (first.crossCheck() && row.isValid()) {
              index.check(row);
            }
            return sink.accept(row);
          });
    } catch (IOException e) {
      throw new UncheckedIOException("the file could not be read again: " + e.getMessage(), e);
    }
  }
}
