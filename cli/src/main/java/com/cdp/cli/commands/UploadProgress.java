package com.cdp.cli.commands;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Upload progress on stderr for files large enough to make the wait noticeable. */
final class UploadProgress {
  /** Files from this size on show progress. */
  static final long SHOW_ABOVE_BYTES = 4L << 20;

  private UploadProgress() {}

  /** The file's content, printing "uploading: N %" to {@code err} at every 10 % step. */
  static InputStream stream(Path file, long size, PrintWriter err) {
    try {
      return new FilterInputStream(Files.newInputStream(file)) {
        private long sent;
        private int shown = -1;

        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            advance(1);
          }
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = super.read(buffer, offset, length);
          if (n > 0) {
            advance(n);
          }
          return n;
        }

        private void advance(long n) {
          sent += n;
          int step = (int) (sent * 10 / Math.max(1, size));
          if (step != shown) {
            shown = step;
            err.printf("uploading: %d %% of %,d bytes%n", step * 10, size);
            err.flush();
          }
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
